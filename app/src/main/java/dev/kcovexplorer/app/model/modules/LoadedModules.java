package dev.kcovexplorer.app.model.modules;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.symbolizer.elf.AddressSearch;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The modules of one boot: a {@link ModuleLayout} joined with the files a {@link ModuleFinder} finds.
 * Says which module holds an address and hands out its ELF file, placed where the layout says. A
 * module's file is only looked for and opened when an address may be in it.
 */
public final class LoadedModules {
    private final ModuleLayout layout;
    private final ModuleFinder finder;
    private final ModuleFiles files;
    /** Every section start of the layout, ascending (unsigned), and the module of each. */
    private final long[] starts;
    private final String[] startModule;
    /** Per opened module, its placed sections as start, end pairs. */
    private final Map<String, long[]> ranges = new HashMap<>();
    private final Map<String, Path> elves = new HashMap<>();

    public LoadedModules(ModuleLayout layout, ModuleFinder finder, ModuleFiles files) {
        this.layout = layout;
        this.finder = finder;
        this.files = files;
        List<long[]> all = new ArrayList<>();
        List<String> modules = new ArrayList<>();
        for (String module : layout.modules()) {
            for (long start : layout.sectionsOf(module).values()) {
                all.add(new long[] {start, modules.size()});
                modules.add(module);
            }
        }
        all.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        starts = new long[all.size()];
        startModule = new String[all.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = all.get(i)[0];
            startModule[i] = modules.get((int) all.get(i)[1]);
        }
    }

    public ModuleLayout layout() {
        return layout;
    }

    /**
     * The module one of whose placed sections holds {@code address}, or null. A module's sections are
     * contiguous in its own allocation, so only the module whose section starts nearest below can hold
     * it; that module's file is opened (once) to learn its sections' sizes.
     */
    public String moduleOf(long address) throws IOException {
        int lo = AddressSearch.upperBound(starts, 0, starts.length, address);
        if (lo == 0) {
            return null;
        }
        String module = startModule[lo - 1];
        long[] r = rangesOf(module);
        for (int i = 0; i < r.length; i += 2) {
            if (Long.compareUnsigned(address - r[i], r[i + 1] - r[i]) < 0) {
                return module;
            }
        }
        return null;
    }

    /** Where the layout puts {@code module}'s sections. */
    public Map<String, Long> sections(String module) {
        return layout.sectionsOf(module);
    }

    /**
     * The ELF file of {@code module} (decompressed when it is compressed); an error names what is missing,
     * or a file whose build id is not the one the kernel reported for the loaded module.
     */
    public Path elf(String module) throws IOException {
        Path elf = elves.get(module);
        if (elf == null) {
            Path file = finder.find(module).orElseThrow(() -> new IOException(finder.describeMissing(module)));
            elf = files.elf(file);
            checkBuildId(module, file, elf);
            elves.put(module, elf);
        }
        return elf;
    }

    /** A .ko of another build would place its code where the loaded one's was: every frame would be wrong. */
    private void checkBuildId(String module, Path file, Path elf) throws IOException {
        String loaded = layout.buildId(module).orElse(null);
        if (loaded == null) {
            return;
        }
        String found;
        try (ElfFile opened = ElfFile.open(elf)) {
            found = opened.buildId();
        }
        if (!loaded.equals(found)) {
            throw new IOException("module " + ModuleLayout.canonicalName(module) + ": " + file
                    + (found == null ? " has no build id" : " has build id " + found) + ", but the kernel loaded "
                    + loaded + " (/sys/module/" + ModuleLayout.canonicalName(module) + "/notes/.note.gnu.build-id as"
                    + " the layout recorded it): pass the --modules directory of the build that ran");
        }
    }

    private long[] rangesOf(String module) throws IOException {
        long[] r = ranges.get(module);
        if (r == null) {
            try (ElfFile placed = ElfFile.openPlaced(elf(module), sections(module))) {
                List<ElfSection> sections = placed.placedSections();
                r = new long[sections.size() * 2];
                for (int i = 0; i < sections.size(); i++) {
                    r[2 * i] = sections.get(i).address();
                    r[2 * i + 1] = sections.get(i).address() + sections.get(i).size();
                }
            }
            ranges.put(module, r);
        }
        return r;
    }
}
