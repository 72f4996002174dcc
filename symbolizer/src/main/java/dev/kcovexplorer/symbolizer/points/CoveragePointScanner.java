package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;

/**
 * Finds every coverage point of an image by decoding the direct branches of its executable sections
 * and keeping those whose target is a sanitizer-coverage callback. On a defconfig + kcov kernel that
 * is about 20 MB of text, scanned in well under a second.
 */
public final class CoveragePointScanner {
    private CoveragePointScanner() {
    }

    public static CoveragePoints scan(ElfFile elf) {
        BranchDecoder decoder = BranchDecoder.forMachine(elf.machine(), elf.is64Bit());
        CoverageCallbacks callbacks = CoverageCallbacks.find(elf.symbols());
        LongIntHashMap targets = callbacks.targets();
        Collector collector = new Collector(targets);
        if (!callbacks.isEmpty()) {
            for (ElfSection section : elf.executableSections()) {
                decoder.decode(section.contents(), section.address(), targets, collector);
            }
        }
        return new CoveragePoints(collector.calls.sorted(), collector.tails.sorted(),
                collector.comparisons.sorted(), decoder.callLength());
    }

    private static final class Collector implements BranchVisitor {
        final LongIntHashMap targets;
        final LongArrayBuilder calls = new LongArrayBuilder();
        final LongArrayBuilder tails = new LongArrayBuilder();
        final LongArrayBuilder comparisons = new LongArrayBuilder();

        Collector(LongIntHashMap targets) {
            this.targets = targets;
        }

        @Override
        public void branch(long site, long target, boolean call) {
            if (targets.get(target, -1) == CoverageCallbacks.TRACE_PC_TARGET) {
                (call ? calls : tails).add(site);
            } else if (call) {
                comparisons.add(site);
            }
        }
    }
}
