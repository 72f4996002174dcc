package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfMachine;

import java.nio.ByteBuffer;

/**
 * Finds the direct calls and jumps with a 32-bit (x86) or 26-bit (arm64) displacement in machine code.
 * It does not disassemble: on x86 it reports every {@code E8}/{@code E9} byte, so callers must accept a
 * branch only when its target is an address they look for exactly, which rules out the bytes that
 * merely sit inside other instructions.
 */
public abstract class BranchDecoder {

    /** Visits the branches in {@code code}, whose byte 0 lives at address {@code base}. */
    public abstract void decode(ByteBuffer code, long base, BranchVisitor visitor);

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
