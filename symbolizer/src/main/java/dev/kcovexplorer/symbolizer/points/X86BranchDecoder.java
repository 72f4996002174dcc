package dev.kcovexplorer.symbolizer.points;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * x86 and x86-64 {@code call rel32} ({@code E8}), {@code jmp rel32} ({@code E9}) and {@code jmp rel8}
 * ({@code EB}): GCC tail-jumps to a nearby function with the 2-byte form.
 */
final class X86BranchDecoder extends BranchDecoder {
    private static final int CALL_REL32 = 0xE8;
    private static final int JMP_REL32 = 0xE9;
    private static final int JMP_REL8 = 0xEB;
    /** Scanning a heap copy is several times faster than absolute gets on a mapped buffer. */
    private static final int CHUNK = 1 << 20;

    private final long addressMask;

    X86BranchDecoder(long addressMask) {
        this.addressMask = addressMask;
    }

    @Override
    public int callLength() {
        return 5;
    }

    @Override
    public void decode(ByteBuffer code, long base, BranchVisitor visitor) {
        ByteBuffer source = code.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int size = source.limit();
        byte[] chunk = new byte[Math.min(size, CHUNK + 4)];
        for (int start = 0; start < size; start += CHUNK) {
            // Each chunk carries the 4 bytes after it so a branch straddling the boundary is seen whole.
            int length = Math.min(size - start, CHUNK + 4);
            source.get(start, chunk, 0, length);
            scan(chunk, Math.min(length, CHUNK), length, base + start, visitor);
        }
    }

    /** Visits branches starting in {@code b[0 .. end)}; bytes up to {@code length} may be operands. */
    private void scan(byte[] b, int end, int length, long base, BranchVisitor visitor) {
        for (int i = 0; i < end; i++) {
            int op = b[i] & 0xff;
            if ((op == CALL_REL32 || op == JMP_REL32) && i + 5 <= length) {
                int rel = (b[i + 1] & 0xff) | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff) << 16 | b[i + 4] << 24;
                long site = base + i;
                visitor.branch(site, (site + 5 + rel) & addressMask, op == CALL_REL32);
            } else if (op == JMP_REL8 && i + 2 <= length) {
                long site = base + i;
                visitor.branch(site, (site + 2 + b[i + 1]) & addressMask, false);
            }
        }
    }
}
