package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;

/**
 * Finds every coverage point of an image by decoding the direct branches of its executable sections
 * and keeping those whose target is a sanitizer-coverage callback. On a defconfig + kcov kernel that
 * is about 20 MB of text, scanned in well under a second. In a relocatable object (a module), where
 * the callbacks are undefined symbols, the relocations naming them say where the calls are.
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
        long[] comparisonSites = collector.comparisons.sortedKeys();
        byte[] comparisonTypes = new byte[comparisonSites.length];
        for (int i = 0; i < comparisonSites.length; i++) {
            comparisonTypes[i] = (byte) collector.comparisons.get(comparisonSites[i], 0);
        }
        return new CoveragePoints(collector.calls.sorted(), collector.tails.sorted(), comparisonSites,
                comparisonTypes, decoder.callLength());
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
