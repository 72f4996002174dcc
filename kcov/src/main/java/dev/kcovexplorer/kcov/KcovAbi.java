package dev.kcovexplorer.kcov;

/**
 * Constants of the kcov user-space ABI ({@code include/uapi/linux/kcov.h}) that dumps and remote
 * handles need. The ioctl request numbers live with the binding in {@code kcov.live}.
 */
public final class KcovAbi {
    private KcovAbi() {
    }

    public static final String DEVICE = "/sys/kernel/debug/kcov";

    public static final int KCOV_TRACE_PC = 0;
    public static final int KCOV_TRACE_CMP = 1;

    /** Words per TRACE_CMP record: {type, arg1, arg2, ip}. */
    public static final int KCOV_WORDS_PER_CMP = 4;
    /** CMP type bit 0: one of the operands is a compile-time constant. */
    public static final int KCOV_CMP_CONST = 1;
    /** CMP type bits 1-2: log2 of the operand size in bytes. */
    public static final int KCOV_CMP_SIZE_MASK = 6;
    /** The largest valid CMP type word (constant, 8-byte operands). */
    public static final int KCOV_CMP_MAX_TYPE = KCOV_CMP_CONST | KCOV_CMP_SIZE_MASK;

    public static final int KCOV_REMOTE_MAX_HANDLES = 0x100;

    public static final long KCOV_SUBSYSTEM_COMMON = 0x00L << 56;
    public static final long KCOV_SUBSYSTEM_USB = 0x01L << 56;
    public static final long KCOV_SUBSYSTEM_MASK = 0xffL << 56;
    public static final long KCOV_INSTANCE_MASK = 0xffff_ffffL;

    /** Subsystem ids as they sit in the top byte of a handle. */
    public static final int SUBSYSTEM_ID_COMMON = 0x00;
    public static final int SUBSYSTEM_ID_USB = 0x01;

    /**
     * kcov refuses areas above {@code INT_MAX / sizeof(unsigned long)} words; no count word of a real
     * area is larger than this (the 32-bit bound, the larger of the two).
     */
    public static final long MAX_AREA_WORDS = Integer.MAX_VALUE / 4;
    /** The same bound in bytes: no mapped area is larger (INT_MAX rounded up to whole pages). */
    public static final long MAX_AREA_BYTES = 1L << 31;
    /** {@code kcov_mmap} maps whole pages, so a full area saved as mapped is a multiple of this (the smallest page). */
    public static final int AREA_PAGE_BYTES = 4096;
}
