package dev.kcovexplorer.symbolizer.points;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * x86 and x86-64 {@code call rel32} ({@code E8}), {@code jmp rel32} ({@code E9}) and {@code jmp rel8}
 * ({@code EB}): GCC tail-jumps to a nearby function with the 2-byte form.
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
        ByteBuffer source = code.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = source.limit();
        byte[] chunk = new byte[CHUNK + OVERLAP + 8];
        for (int start = 0; start < size; start += CHUNK) {
            int length = Math.min(size - start, CHUNK + OVERLAP);
            source.get(start, chunk, 0, length);
            java.util.Arrays.fill(chunk, length, chunk.length, (byte) 0);
            scan(chunk, Math.min(length, CHUNK), length, base + start, targets, visitor);
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

    /** 0x80 in every byte of {@code x} that is zero, nothing elsewhere (no carries between bytes). */
    private static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }
}
