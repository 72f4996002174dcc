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
        Collector collector = new Collector(callbacks);
        if (!callbacks.isEmpty()) {
            for (ElfSection section : elf.executableSections()) {
                decoder.decode(section.contents(), section.address(), collector);
            }
        }
        return new CoveragePoints(collector.calls.sorted(), collector.tails.sorted(),
                collector.comparisons.sorted(), decoder.callLength());
    }

    private static final class Collector implements BranchVisitor {
        final CoverageCallbacks callbacks;
        final LongArrayBuilder calls = new LongArrayBuilder();
        final LongArrayBuilder tails = new LongArrayBuilder();
        final LongArrayBuilder comparisons = new LongArrayBuilder();

        Collector(CoverageCallbacks callbacks) {
            this.callbacks = callbacks;
        }

        @Override
        public void branch(long site, long target, boolean call) {
            if (callbacks.isTracePc(target)) {
                (call ? calls : tails).add(site);
            } else if (call && callbacks.isComparison(target)) {
                comparisons.add(site);
            }
        }
    }
}
