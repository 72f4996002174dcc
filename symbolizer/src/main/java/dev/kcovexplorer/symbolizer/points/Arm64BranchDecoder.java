package dev.kcovexplorer.symbolizer.points;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** AArch64 {@code BL imm26} and {@code B imm26}; instructions are 4 bytes, 4-aligned. */
final class Arm64BranchDecoder extends BranchDecoder {
    private static final int OPCODE_MASK = 0xFC00_0000;
    private static final int BL = 0x9400_0000;
    private static final int B = 0x1400_0000;

    @Override
    public int callLength() {
        return 4;
    }

    @Override
    public void decode(ByteBuffer code, long base, LongIntHashMap targets, BranchVisitor visitor) {
        ByteBuffer source = code.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int words = source.limit() / 4;
        for (int w = 0; w < words; w++) {
            int insn = source.getInt(w * 4);
            int opcode = insn & OPCODE_MASK;
            if (opcode == BL || opcode == B) {
                long offset = (long) ((insn << 6) >> 6) << 2; // sign-extend imm26, times 4
                long site = base + w * 4L;
                long target = site + offset;
                if (targets.containsKey(target)) {
                    visitor.branch(site, target, opcode == BL);
                }
            }
        }
    }
}
