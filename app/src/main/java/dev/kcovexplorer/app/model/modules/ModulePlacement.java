package dev.kcovexplorer.app.model.modules;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which modules a session needs (those holding PCs of its runs, by each run's own layout) and
 * where the session puts their code: at the addresses of the first boot that had the module loaded
 * with every section any run places, so a single-boot session keeps the real addresses, unless those
 * collide with the kernel or a module already placed; then above everything placed, page by page. Each
 * new module's index is built (or taken from the cache) with its sections there.
 */
public final class ModulePlacement {
    private static final long PAGE = 4096;

    /** What placement needs of one run: its name, its layout, and its PCs outside the kernel image. */
    public record BootPcs(String run, ModuleLayout layout, long[] outsideKernel) {
    }

    private ModulePlacement() {
    }

    /**
     * {@code existing} with every module the runs need and it lacks.
     *
     * @param finder   where module files are, or null when none were given (then needing one is an error)
     * @param reserved start, end pairs of the kernel image's sections, where no module may be put
     */
    public static SessionModules extend(SessionModules existing, List<BootPcs> runs, ModuleFinder finder,
            ModuleFiles files, KernelIndexCache cache, long[] reserved, BuildMonitor monitor) throws IOException {
        Map<String, Need> needs = needs(existing, runs, finder, files);
        if (needs.isEmpty()) {
            return existing;
        }
        List<long[]> taken = new ArrayList<>();
        for (int i = 0; i < reserved.length; i += 2) {
            taken.add(new long[] {reserved[i], reserved[i + 1]});
        }
        for (SessionModules.Module m : existing.modules()) {
            m.sections().forEach(s -> taken.add(new long[] {s.address(), s.end()}));
        }
        Map<String, List<SessionModules.Section>> placed = new LinkedHashMap<>();
        List<String> later = new ArrayList<>();
        for (Map.Entry<String, Need> e : needs.entrySet()) {
            List<SessionModules.Section> preferred = e.getValue().preferred();
            if (preferred != null && preferred.stream().noneMatch(s -> overlaps(s, taken))) {
                placed.put(e.getKey(), preferred);
                preferred.forEach(s -> taken.add(new long[] {s.address(), s.end()}));
            } else {
                later.add(e.getKey());
            }
        }
        long next = 0;
        for (long[] range : taken) {
            next = Long.compareUnsigned(range[1], next) > 0 ? range[1] : next;
        }
        for (String module : later) {
            List<SessionModules.Section> sections = new ArrayList<>();
            for (Map.Entry<String, Long> size : needs.get(module).sizes.entrySet()) {
                next = (next + PAGE - 1) & -PAGE;
                sections.add(new SessionModules.Section(size.getKey(), next, size.getValue()));
                next += size.getValue();
            }
            placed.put(module, sections);
        }
        List<SessionModules.Module> added = new ArrayList<>();
        for (Map.Entry<String, List<SessionModules.Section>> e : placed.entrySet()) {
            Map<String, Long> addresses = new LinkedHashMap<>();
            e.getValue().forEach(s -> addresses.put(s.name(), s.address()));
            monitor.progress("indexing module " + e.getKey(), 0, 1);
            KernelIndex index = cache.openPlaced(needs.get(e.getKey()).elf, addresses, monitor).index();
            added.add(new SessionModules.Module(e.getKey(), index.buildId(), e.getValue(), index));
        }
        return existing.plus(added);
    }

    private static boolean overlaps(SessionModules.Section s, List<long[]> taken) {
        for (long[] range : taken) {
            if (Long.compareUnsigned(s.address(), range[1]) < 0 && Long.compareUnsigned(range[0], s.end()) < 0) {
                return true;
            }
        }
        return false;
    }

    /** A module the runs need: its file, its code sections' sizes, and the first layout that had it. */
    private static final class Need {
        final String name;
        final Path elf;
        final Map<String, Long> sizes = new LinkedHashMap<>();
        final ModuleLayout first;

        Need(String name, Path elf, ModuleLayout first) {
            this.name = name;
            this.elf = elf;
            this.first = first;
        }

        /** The first layout's addresses, when it places every section some run places. */
        List<SessionModules.Section> preferred() {
            Map<String, Long> boot = first.sectionsOf(name);
            List<SessionModules.Section> out = new ArrayList<>();
            for (Map.Entry<String, Long> size : sizes.entrySet()) {
                Long address = boot.get(size.getKey());
                if (address == null) {
                    return null;
                }
                out.add(new SessionModules.Section(size.getKey(), address, size.getValue()));
            }
            return out;
        }
    }

    private static Map<String, Need> needs(SessionModules existing, List<BootPcs> runs, ModuleFinder finder,
            ModuleFiles files) throws IOException {
        Map<String, Need> needs = new LinkedHashMap<>();
        Map<String, Set<String>> sectionNames = new LinkedHashMap<>();
        List<String> missingFinder = new ArrayList<>();
        String missingRun = null;
        for (BootPcs run : runs) {
            if (run.layout() == null || run.layout().isEmpty() || run.outsideKernel().length == 0) {
                continue;
            }
            SessionModules.Relocation known = existing.relocation(run.layout());
            LoadedModules loaded = finder == null ? null : new LoadedModules(run.layout(), finder, files);
            Set<String> hit = new LinkedHashSet<>();
            for (long pc : run.outsideKernel()) {
                if (known.inModule(pc)) {
                    continue;
                }
                String module = loaded != null ? loaded.moduleOf(pc) : nearestBelow(run.layout(), pc);
                if (module != null && existing.indexOf(module) < 0) {
                    hit.add(module);
                }
            }
            for (String module : hit) {
                if (loaded == null) {
                    missingFinder.add(module);
                    missingRun = missingRun == null ? run.run() : missingRun;
                    continue;
                }
                sectionNames.computeIfAbsent(module, k -> new LinkedHashSet<>())
                        .addAll(run.layout().sectionsOf(module).keySet());
                if (!needs.containsKey(module)) {
                    needs.put(module, new Need(module, loaded.elf(module), run.layout()));
                }
            }
        }
        if (!missingFinder.isEmpty()) {
            List<String> names = missingFinder.stream().distinct().toList();
            throw new IOException("run '" + missingRun + "' has PCs in module" + (names.size() > 1 ? "s " : " ")
                    + String.join(", ", names.subList(0, Math.min(5, names.size())))
                    + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "")
                    + ": pass --modules DIR, where their .ko files are (a build tree, /lib/modules/RELEASE or a debug"
                    + " package's tree)");
        }
        for (Need need : needs.values()) {
            try (ElfFile elf = ElfFile.open(need.elf)) {
                for (ElfSection s : elf.sections()) {
                    if (s.isAllocated() && s.isExecutable() && s.size() > 0
                            && sectionNames.get(need.name).contains(s.name())) {
                        need.sizes.put(s.name(), s.size());
                    }
                }
            }
        }
        needs.values().removeIf(need -> need.sizes.isEmpty());
        return needs;
    }

    /**
     * Without the module files: the module whose section starts nearest below {@code pc}, for messages;
     * null when none does.
     */
    public static String nearestBelow(ModuleLayout layout, long pc) {
        String best = null;
        long bestStart = 0;
        for (String module : layout.modules()) {
            for (long start : layout.sectionsOf(module).values()) {
                if (Long.compareUnsigned(start, pc) <= 0 && (best == null || Long.compareUnsigned(start, bestStart) > 0)) {
                    best = module;
                    bestStart = start;
                }
            }
        }
        return best;
    }
}
