package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import dev.kcovexplorer.symbolizer.elf.SymbolTable;

import java.util.function.UnaryOperator;

/**
 * Finds every coverage point of an image by decoding the direct branches of its executable sections
 * and keeping those whose target is a sanitizer-coverage callback, in code that can run. On a
 * defconfig + kcov kernel that is about 20 MB of text, scanned in well under a second. In a
 * relocatable object (a module), where the callbacks are undefined symbols, the relocations naming
 * them say where the calls are.
 */
public final class CoveragePointScanner {
    private CoveragePointScanner() {
    }

    public static CoveragePoints scan(ElfFile elf) {
        BranchDecoder decoder = BranchDecoder.forMachine(elf.machine(), elf.is64Bit());
        Collector collector = new Collector();
        if (elf.type() == ElfFile.ET_REL) {
            RelocatedCalls.scan(elf, CoverageCallbacks::targetOf, collector::record);
        } else {
            CoverageCallbacks callbacks = CoverageCallbacks.find(elf.symbols());
            LongIntHashMap targets = callbacks.targets();
            if (!callbacks.isEmpty()) {
                for (ElfSection section : elf.executableSections()) {
                    decoder.decode(section.contents(), section.address(), targets,
                            (site, target, call) -> collector.record(site, targets.get(target, -1), call));
                }
            }
        }
        UnaryOperator<long[]> live = liveCode(elf);
        long[] comparisonSites = live.apply(collector.comparisons.sortedKeys());
        byte[] comparisonTypes = new byte[comparisonSites.length];
        for (int i = 0; i < comparisonSites.length; i++) {
            comparisonTypes[i] = (byte) collector.comparisons.get(comparisonSites[i], 0);
        }
        return new CoveragePoints(live.apply(collector.calls.sorted()), live.apply(collector.tails.sorted()),
                comparisonSites, comparisonTypes, decoder.callLength());
    }

    /**
     * Of sorted sites, those in code that can run: in a linked image, those a function symbol covers. The linker
     * keeps the code of a weak definition that a strong one overrides but drops its symbol, and sends every call to
     * the strong one, so that code never runs. On the demo kernel that is 548 points and 14 comparison sites, all in
     * {@code __weak} copies: 407 points in kernel/sys_ni.c's {@code COND_SYSCALL} stubs, the rest {@code arch_*},
     * {@code pcibios_*}, {@code cpu_show_*} defaults and the like. Kept, they painted lines no run can reach as
     * "not executed": sys_ni.c's in a function named "??", the others under the name of the function that
     * overrides them. An image without local function symbols says nothing about its code: stripped
     * ({@code strip --discard-all} drops the static functions' symbols and keeps the global ones), all of its code
     * counts. A relocatable module is not linked yet: it has no such copies.
     */
    private static UnaryOperator<long[]> liveCode(ElfFile elf) {
        SymbolTable symbols = elf.symbols();
        boolean staticFunctionsNamed = symbols.functions().stream().anyMatch(f -> f.binding() == ElfSymbol.STB_LOCAL);
        if (elf.type() == ElfFile.ET_REL || !staticFunctionsNamed) {
            return UnaryOperator.identity();
        }
        return symbols::insideFunctions;
    }

    private static final class Collector {
        final LongArrayBuilder calls = new LongArrayBuilder();
        final LongArrayBuilder tails = new LongArrayBuilder();
        /** Site → {@link ComparisonType}. */
        final LongIntHashMap comparisons = new LongIntHashMap(1024);

        /** @param callback {@link CoverageCallbacks#TRACE_PC_TARGET} or a comparison target */
        void record(long site, int callback, boolean call) {
            if (callback == CoverageCallbacks.TRACE_PC_TARGET) {
                (call ? calls : tails).add(site);
            } else {
                int type = callback - CoverageCallbacks.COMPARISON_TARGET;
                comparisons.put(site, call ? type : ComparisonType.asTailCall(type));
            }
        }
    }
}
