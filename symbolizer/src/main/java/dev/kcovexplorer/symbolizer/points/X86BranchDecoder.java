package dev.kcovexplorer.symbolizer.points;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * x86 and x86-64 {@code call rel32} ({@code E8}), {@code jmp rel32} ({@code E9}) and {@code jmp rel8}
 * ({@code EB}): GCC tail-jumps to a nearby function with the 2-byte form. Apart, the conditional {@code jcc rel32}
 * ({@code 0F 80}-{@code 0F 8F}) by which GCC enters a function's cold part.
 *
 * <p>A kernel has ~25 MB of text. The scan looks at eight bytes at a time and only stops at bytes that
 * are one of the three opcodes (found with the exact SWAR zero-byte test), which keeps it at a few ten
 * milliseconds.
 */
final class X86BranchDecoder extends BranchDecoder {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F_7F7F_7F7F_7F7FL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final int CALL_REL32 = 0xE8;
    private static final int JMP_REL8 = 0xEB;
    /** Scanning a heap copy with wide reads beats absolute gets on a mapped buffer several times over. */
    private static final int CHUNK = 1 << 20;
    /** A branch at the end of a chunk reads up to 4 bytes past it. */
    private static final int OVERLAP = 8;

    private final long addressMask;

    X86BranchDecoder(long addressMask) {
        this.addressMask = addressMask;
    }

    @Override
    public int callLength() {
        return 5;
    }

    @Override
    public void decode(ByteBuffer code, long base, LongIntHashMap targets, BranchVisitor visitor) {
        inChunks(code, base, (b, end, length, at) -> scan(b, end, length, at, targets, visitor));
    }

    /**
     * Only the 6-byte form: a cold part lies in another section ({@code .text.unlikely}), which the assembler reaches
     * with a relocated rel32, never with the 2-byte {@code 7x rel8}; and a rel8 lands by chance on a start nearby
     * far more often than a rel32 does.
     */
    @Override
    public void decodeConditionalJumps(ByteBuffer code, long base, LongIntHashMap targets, BranchVisitor visitor) {
        inChunks(code, base, (b, end, length, at) -> scanConditional(b, end, length, at, targets, visitor));
    }

    /** What looks at one chunk: {@code b[0 .. end)} holds the branches' starts, {@code b[0 .. length)} data. */
    private interface ChunkScan {
        void scan(byte[] b, int end, int length, long base);
    }

    private static void inChunks(ByteBuffer code, long base, ChunkScan scan) {
        ByteBuffer source = code.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = source.limit();
        byte[] chunk = new byte[CHUNK + OVERLAP + 8];
        for (int start = 0; start < size; start += CHUNK) {
            int length = Math.min(size - start, CHUNK + OVERLAP);
            source.get(start, chunk, 0, length);
            java.util.Arrays.fill(chunk, length, chunk.length, (byte) 0);
            scan.scan(chunk, Math.min(length, CHUNK), length, base + start);
        }
    }

    /**
     * Visits branches that start in {@code b[0 .. end)} and whose operand fits in {@code b[0 .. length)};
     * bytes from {@code length} on are zero padding.
     */
    private void scan(byte[] b, int end, int length, long base, LongIntHashMap targets, BranchVisitor visitor) {
        for (int word = 0; word < end; word += 8) {
            long w = (long) LONGS.get(b, word);
            long candidates = zeroBytes((w & ~ONES) ^ 0xE8E8_E8E8_E8E8_E8E8L) | zeroBytes(w ^ 0xEBEB_EBEB_EBEB_EBEBL);
            while (candidates != 0) {
                int i = word + (Long.numberOfTrailingZeros(candidates) >>> 3);
                candidates &= candidates - 1;
                if (i >= end) {
                    break;
                }
                int op = b[i] & 0xff;
                long site = base + i;
                long target;
                if (op == JMP_REL8) {
                    if (i + 2 > length) {
                        continue;
                    }
                    target = (site + 2 + b[i + 1]) & addressMask;
                } else {
                    if (i + 5 > length) {
                        continue;
                    }
                    target = (site + 5 + (int) INTS.get(b, i + 1)) & addressMask;
                }
                if (targets.containsKey(target)) {
                    visitor.branch(site, target, op == CALL_REL32);
                }
            }
        }
    }

    /** As {@link #scan}, for {@code 0F 8x rel32}: a byte {@code 0F} is the candidate, the next one must be {@code 8x}. */
    private void scanConditional(byte[] b, int end, int length, long base, LongIntHashMap targets,
            BranchVisitor visitor) {
        for (int word = 0; word < end; word += 8) {
            long candidates = zeroBytes((long) LONGS.get(b, word) ^ 0x0F0F_0F0F_0F0F_0F0FL);
            while (candidates != 0) {
                int i = word + (Long.numberOfTrailingZeros(candidates) >>> 3);
                candidates &= candidates - 1;
                if (i >= end) {
                    break;
                }
                if ((b[i + 1] & 0xF0) != 0x80 || i + 6 > length) {
                    continue;
                }
                long site = base + i;
                long target = (site + 6 + (int) INTS.get(b, i + 2)) & addressMask;
                if (targets.containsKey(target)) {
                    visitor.branch(site, target, false);
                }
            }
        }
    }

    /** 0x80 in every byte of {@code x} that is zero, nothing elsewhere (no carries between bytes). */
    private static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }
}
