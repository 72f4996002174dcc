package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfMachine;

import java.nio.ByteBuffer;

/**
 * Finds the direct calls and jumps with a 32-bit (x86) or 26-bit (arm64) displacement in machine code.
 * It does not disassemble: on x86 every {@code E8}/{@code E9}/{@code EB} byte is a candidate, and only
 * a target that is exactly one of the addresses looked for (a callback, a function start) makes it a
 * branch, which rules out the bytes that merely sit inside other instructions.
 */
public abstract class BranchDecoder {

    /**
     * Visits the branches in {@code code} (byte 0 at address {@code base}) whose target is a key of
     * {@code targets}; filtering here keeps the visitor off the hot path.
     */
    public abstract void decode(ByteBuffer code, long base, LongIntHashMap targets, BranchVisitor visitor);

    /**
     * Visits the conditional jumps in {@code code} whose target is a key of {@code targets}, as jumps ({@code call}
     * false): how GCC enters a function's {@code foo.cold} part. On arm64 none are decoded ({@code b.cond}, {@code cbz},
     * {@code tbz}): no arm64 GCC on the machines this was checked on made a cold part to check them against.
     */
    public void decodeConditionalJumps(ByteBuffer code, long base, LongIntHashMap targets, BranchVisitor visitor) {
    }

    /** Bytes from a call instruction to its return address: what kcov's recorded PC is ahead of the call. */
    public abstract int callLength();

    /** The decoder for an ELF machine, or an error naming what is unsupported. */
    public static BranchDecoder forMachine(ElfMachine machine, boolean elf64) {
        switch (machine) {
            case X86_64:
            case I386:
                return new X86BranchDecoder(elf64 ? -1L : 0xffff_ffffL);
            case AARCH64:
                return new Arm64BranchDecoder();
            default:
                throw new UnsupportedOperationException("coverage points are only found in x86 and arm64 code, not "
                        + machine.archName());
        }
    }
}
