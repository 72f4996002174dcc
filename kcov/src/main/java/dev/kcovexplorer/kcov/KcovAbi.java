package dev.kcovexplorer.kcov;

/**
 * Constants of the kcov user-space ABI ({@code include/uapi/linux/kcov.h}) and the generic
 * {@code _IOC} encoding (x86, arm, arm64, riscv; powerpc, mips and sparc lay the bits out differently).
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

    // _IOC bit layout (asm-generic/ioctl.h).
    public static final int IOC_NONE = 0;
    public static final int IOC_WRITE = 1;
    public static final int IOC_READ = 2;
    private static final int IOC_NRSHIFT = 0;
    private static final int IOC_TYPESHIFT = 8;
    private static final int IOC_SIZESHIFT = 16;
    private static final int IOC_DIRSHIFT = 30;
    private static final int IOC_SIZEMASK = (1 << 14) - 1;

    /** {@code _IOC(dir, type, nr, size)}. */
    public static int ioc(int dir, char type, int nr, int size) {
        if (size < 0 || size > IOC_SIZEMASK) {
            throw new IllegalArgumentException("ioctl argument size " + size + " does not fit in 14 bits");
        }
        return (dir << IOC_DIRSHIFT) | (type << IOC_TYPESHIFT) | (nr << IOC_NRSHIFT) | (size << IOC_SIZESHIFT);
    }

    /** {@code _IO(type, nr)}. */
    public static int io(char type, int nr) {
        return ioc(IOC_NONE, type, nr, 0);
    }

    /** {@code _IOR(type, nr, size)}: the kernel writes {@code size} bytes to user space. */
    public static int ior(char type, int nr, int size) {
        return ioc(IOC_READ, type, nr, size);
    }

    /** {@code _IOW(type, nr, size)}: user space passes {@code size} bytes to the kernel. */
    public static int iow(char type, int nr, int size) {
        return ioc(IOC_WRITE, type, nr, size);
    }
}
