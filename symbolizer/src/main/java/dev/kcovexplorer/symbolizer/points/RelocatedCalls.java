package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import dev.kcovexplorer.symbolizer.elf.RelocationTable;
import dev.kcovexplorer.symbolizer.elf.X86Relocations;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The calls and tail jumps of named functions in a relocatable object (a kernel module): there
 * {@code call __sanitizer_cov_trace_pc} is {@code e8 00 00 00 00} plus an {@code R_X86_64_PLT32} (or
 * {@code PC32}) relocation of the operand naming the callee, so the relocations say exactly where the
 * calls are, where decoding bytes could only guess.
 */
public final class RelocatedCalls {
    private static final int CALL_REL32 = 0xE8;
    private static final int JMP_REL32 = 0xE9;
    /** The operand is 4 bytes before the return address: a branch to S carries addend -4. */
    private static final long BRANCH_ADDEND = -4;

    /** Receives each call or tail jump found, with what {@code targetOf} said about its callee. */
    @FunctionalInterface
    public interface Visitor {
        void branch(long site, int target, boolean call);
    }

    private RelocatedCalls() {
    }

    /**
     * Visits, in the executable sections of {@code elf} (of a placed object, the placed ones), every
     * {@code call}/{@code jmp rel32} whose operand is relocated against a symbol for which
     * {@code targetOf} answers zero or more; -1 means "not wanted".
     */
    public static void scan(ElfFile elf, ToIntFunction<String> targetOf, Visitor visitor) {
        List<ElfSymbol> symbols = elf.symbols().all();
        int[] targets = new int[symbols.size() + 1];
        targets[0] = -1;
        for (int i = 0; i < symbols.size(); i++) {
            ElfSymbol s = symbols.get(i);
            targets[i + 1] = s.type() == ElfSymbol.STT_SECTION || s.name().isEmpty() ? -1 : targetOf.applyAsInt(s.name());
        }
        for (ElfSection section : elf.executableSections()) {
            ByteBuffer code = null;
            for (ElfSection rela : elf.relocationSectionsOf(section)) {
                RelocationTable table = RelocationTable.read(elf, rela);
                for (int i = 0; i < table.size(); i++) {
                    int symbol = table.symbol(i);
                    long offset = table.offset(i);
                    if (!X86Relocations.isPcRelative32(table.type(i)) || table.addend(i) != BRANCH_ADDEND
                            || symbol >= targets.length || targets[symbol] < 0
                            || offset < 1 || offset + 4 > section.size()) {
                        continue;
                    }
                    if (code == null) {
                        code = section.contents();
                    }
                    int opcode = code.get((int) offset - 1) & 0xff;
                    if (opcode == CALL_REL32 || opcode == JMP_REL32) {
                        visitor.branch(section.address() + offset - 1, targets[symbol], opcode == CALL_REL32);
                    }
                }
            }
        }
    }
}
