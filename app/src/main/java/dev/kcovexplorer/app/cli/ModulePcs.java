package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.ModuleRuns;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.modules.LoadedModules;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.symbolizer.attribution.PcKind;
import dev.kcovexplorer.symbolizer.attribution.PcAttribution;
import dev.kcovexplorer.symbolizer.attribution.PcAttributor;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.index.KernelIndexMerger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dump's PCs split by image, for {@code match}: the kernel's, each loaded module's (by the dump's
 * layout, at the addresses of the boot that recorded it), and those in module space that no module of
 * the layout holds.
 */
record ModulePcs(long[] kernel, Map<String, long[]> modules, int unplaced, LoadedModules loaded) {

    static ModulePcs split(Path dump, long[] uniquePcs, ModuleLayout layout, ModuleRuns.KernelExtent extent,
                           ModuleOptions options) throws IOException {
        long[] outside = ModuleRuns.requireLayout(RunInput.ofPcs(dump.getFileName().toString(), uniquePcs,
                dev.kcovexplorer.kcov.PcKind.UNKNOWN), layout, extent);
        if (outside.length == 0) {
            return new ModulePcs(uniquePcs, Map.of(), 0, null);
        }
        if (options.finder() == null) {
            throw new IllegalArgumentException(dump + " has " + outside.length + " PCs in loadable modules: pass --modules"
                    + " DIR, where their .ko files are");
        }
        LoadedModules loaded = new LoadedModules(layout, options.finder(), options.sources().files());
        Map<String, List<Long>> perModule = new TreeMap<>();
        int unplaced = 0;
        for (long pc : outside) {
            String module = loaded.moduleOf(pc);
            if (module == null) {
                unplaced++;
            } else {
                perModule.computeIfAbsent(module, k -> new ArrayList<>()).add(pc);
            }
        }
        long[] kernel = Arrays.stream(uniquePcs).filter(pc -> Arrays.binarySearch(outside, pc) < 0).toArray();
        Map<String, long[]> modules = new LinkedHashMap<>();
        perModule.forEach((m, pcs) -> modules.put(m, pcs.stream().mapToLong(Long::longValue).toArray()));
        return new ModulePcs(kernel, modules, unplaced, loaded);
    }

    /**
     * The kernel's points (PC points and comparison sites) with those of each module that holds PCs, its .ko placed
     * where the layout says: a module's call of a kernel function that tail-calls a callback is attributed to the
     * kernel's tail-call site, and a module's PC or ip lands on the module's own points.
     */
    KernelIndex withModules(KernelIndex kernelPoints) throws IOException {
        List<KernelIndex> indexes = new ArrayList<>();
        for (String module : modules.keySet()) {
            try (ElfFile placed = ElfFile.openPlaced(loaded.elf(module), loaded.sections(module))) {
                indexes.add(KernelIndexBuilder.pointsOnly(placed));
            }
        }
        return KernelIndexMerger.merge(kernelPoints, indexes);
    }

    /**
     * Each module's PCs attributed on {@link #withModules} the kernel's points, read as {@code kind} (null: as they
     * fit); what stays unresolved is explained from the module's code.
     */
    Map<String, PcAttribution> attribute(PcKind kind, KernelIndex kernelPoints) throws IOException {
        KernelIndex all = withModules(kernelPoints);
        Map<String, PcAttribution> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : modules.entrySet()) {
            try (ElfFile placed = ElfFile.openPlaced(loaded.elf(e.getKey()), loaded.sections(e.getKey()))) {
                out.put(e.getKey(), PcAttributor.attribute(e.getValue(), all, ReturnAddressInspector.of(placed), kind));
            }
        }
        return out;
    }
}
