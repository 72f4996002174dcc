package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.app.model.modules.ModuleSpace;
import dev.kcovexplorer.app.model.modules.SessionModules;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves a run's PCs in loadable modules from where the boot that recorded it had them to where the
 * session has them ({@link SessionModules#relocation}); the kernel's own PCs stay. A PC in module space
 * that no module of the run's layout holds cannot be placed: it is left out and counted, never guessed.
 * A run with such PCs and no layout at all is refused: its module coverage would silently vanish.
 */
public final class ModuleRuns {
    private ModuleRuns() {
    }

    /** Which PCs are the kernel image's own, and whether it is a kernel with a module area at all. */
    public interface KernelExtent {
        /** An x86-64 kernel image: PCs in its module area that it does not hold are modules'. */
        boolean isKernelImage();

        boolean holds(long pc);

        /** Start, end pairs where the image is: no module may be put there. */
        long[] ranges();

        /** From the vmlinux: its sections. */
        static KernelExtent of(ElfFile vmlinux) {
            boolean kernel = ModuleSpace.isKernelImage(vmlinux);
            long[] ranges = vmlinux.sections().stream().filter(ElfSection::isAllocated)
                    .flatMapToLong(s -> java.util.stream.LongStream.of(s.address(), s.address() + s.size())).toArray();
            return new KernelExtent() {
                @Override
                public boolean isKernelImage() {
                    return kernel;
                }

                @Override
                public long[] ranges() {
                    return ranges.clone();
                }

                @Override
                public boolean holds(long pc) {
                    for (int i = 0; i < ranges.length; i += 2) {
                        if (Long.compareUnsigned(pc - ranges[i], ranges[i + 1] - ranges[i]) < 0) {
                            return true;
                        }
                    }
                    return false;
                }
            };
        }

        /**
         * From an index alone (a session file): an x86-64 image whose points lie in the top 2 GiB holds
         * what lies between its first point and its last point's return address.
         */
        static KernelExtent of(KernelIndex index) {
            int n = index.pointCount();
            long first = n == 0 ? 0 : index.pointAddress(0);
            long last = n == 0 ? 0 : index.pointAddress(n - 1) + index.callLength();
            boolean kernel = index.arch().equals("x86_64") && n > 0 && first < 0 && !ModuleSpace.contains(first);
            return new KernelExtent() {
                @Override
                public boolean isKernelImage() {
                    return kernel;
                }

                @Override
                public boolean holds(long pc) {
                    return pc >= first && pc <= last;
                }

                @Override
                public long[] ranges() {
                    return n == 0 ? new long[0] : new long[] {first, last + 1};
                }
            };
        }
    }

    /**
     * A run with its module PCs at the session's addresses.
     *
     * @param pcsPerModule unique PCs per module, in session order of first appearance
     * @param unplaced     PCs in module space that no module of the layout holds, left out
     * @param firstUnplaced the lowest of them, for the message
     */
    public record Relocated(RunInput input, Map<String, Integer> pcsPerModule, int unplaced, long firstUnplaced) {
        /** What the user should know, or null. */
        public String warning() {
            if (unplaced == 0) {
                return null;
            }
            return unplaced + " PCs (the first 0x" + Long.toHexString(firstUnplaced) + ") lie in module space but in no"
                    + " module section the run's layout places: they are left out";
        }
    }

    /**
     * The PCs a run recorded on a boot with this KASLR offset has outside the kernel image, where modules
     * are: what decides which modules a session needs.
     */
    public static long[] outsideKernel(long[] uniquePcs, KernelExtent kernel, long kaslrOffset) {
        if (!kernel.isKernelImage()) {
            return new long[0];
        }
        return Arrays.stream(uniquePcs).filter(pc -> ModuleSpace.contains(pc, kaslrOffset) && !kernel.holds(pc)).toArray();
    }

    /**
     * The run's PCs outside the kernel image; refuses a run that has some but no layout to place them.
     *
     * @throws IllegalArgumentException naming the run, how many PCs and the first
     */
    public static long[] requireLayout(RunInput raw, ModuleLayout layout, KernelExtent kernel) {
        long[] outside = outsideKernel(raw.uniquePcs(), kernel, layout == null ? 0 : layout.kaslrOffset());
        if (outside.length > 0 && (layout == null || layout.isEmpty())) {
            throw new IllegalArgumentException("run '" + raw.label() + "' has " + outside.length + " PCs in module space"
                    + " (the first 0x" + Long.toHexString(outside[0]) + "), outside the vmlinux, but no module layout:"
                    + " record with the agent (it writes DUMP.layout beside the dump) or pass --layout FILE");
        }
        return outside;
    }

    /**
     * {@code raw} (as recorded, under {@code layout}, null when none was recorded) with its module PCs at
     * the session's addresses.
     *
     * @throws IllegalArgumentException when the run has PCs in module space but no layout to place them
     */
    public static Relocated relocate(RunInput raw, ModuleLayout layout, SessionModules modules, KernelExtent kernel) {
        long[] outside = requireLayout(raw, layout, kernel);
        if (outside.length == 0) {
            return new Relocated(raw.withPcs(raw.uniquePcs(), raw.hitCounts(), raw.comparisons(), layout),
                    Map.of(), 0, 0);
        }
        SessionModules.Relocation relocation = modules.relocation(layout);
        long[] pcs = raw.uniquePcs();
        long[] moved = new long[pcs.length];
        int[] from = new int[pcs.length];
        int kept = 0;
        int unplaced = 0;
        long firstUnplaced = 0;
        Map<String, Integer> perModule = new LinkedHashMap<>();
        for (int i = 0; i < pcs.length; i++) {
            long pc = pcs[i];
            if (!ModuleSpace.contains(pc, layout.kaslrOffset()) || kernel.holds(pc)) {
                moved[kept] = pc;
                from[kept++] = i;
            } else if (relocation.inModule(pc)) {
                perModule.merge(relocation.moduleOf(pc), 1, Integer::sum);
                moved[kept] = relocation.toSession(pc);
                from[kept++] = i;
            } else if (unplaced++ == 0) {
                firstUnplaced = pc;
            }
        }
        long[] sortedPcs = Arrays.copyOf(moved, kept);
        int[] order = sortedOrder(sortedPcs, Arrays.copyOf(from, kept));
        int[] counts = raw.hitCounts() == null ? null : new int[kept];
        for (int k = 0; k < kept; k++) {
            if (counts != null) {
                counts[k] = raw.hitCounts()[order[k]];
            }
        }
        for (int k = 1; k < kept; k++) {
            if (sortedPcs[k] == sortedPcs[k - 1]) {
                throw new IllegalArgumentException("run '" + raw.label() + "': two PCs land on session address 0x"
                        + Long.toHexString(sortedPcs[k]) + ": its layout places a module over the kernel or another");
            }
        }
        ComparisonSummary summary = raw.comparisons() == null ? null : raw.comparisons().moved(order, sortedPcs);
        return new Relocated(raw.withPcs(sortedPcs, counts, summary, layout), perModule, unplaced, firstUnplaced);
    }

    /** Sorts {@code pcs} in place, returning {@code from} permuted alike. */
    private static int[] sortedOrder(long[] pcs, int[] from) {
        Integer[] idx = new Integer[pcs.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        long[] copy = pcs.clone();
        Arrays.sort(idx, (a, b) -> Long.compare(copy[a], copy[b]));
        int[] order = new int[pcs.length];
        for (int k = 0; k < idx.length; k++) {
            pcs[k] = copy[idx[k]];
            order[k] = from[idx[k]];
        }
        return order;
    }
}
