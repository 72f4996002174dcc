package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.modules.LoadedModules;
import dev.kcovexplorer.app.model.modules.ModuleFiles;
import dev.kcovexplorer.app.model.modules.ModuleFinder;
import dev.kcovexplorer.app.model.modules.ModuleSpace;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.symbolizer.AddressSymbolizer;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;
import dev.kcovexplorer.symbolizer.index.SourceRoots;
import dev.kcovexplorer.symbolizer.points.CoveragePoints;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code symbolize --vmlinux FILE [--modules DIR --layout FILE] [--backend java|llvm|gnu] [ADDRESS_FILE]}:
 * one JSON object per input address, in input order, with its inline chain innermost first. The java
 * backend answers coverage points and comparison sites from the cached kernel index; when there is none
 * and the addresses are mostly sites, it builds the index in the same run (which then answers them) and
 * leaves it in the cache, saying so once on standard error. An address in a loaded module is answered
 * from that module's {@code .ko}, placed where the layout says, and its object names the module
 * ({@code "module":"usbcore"}); without a layout such addresses are an error, not empty answers.
 */
@Command(name = "symbolize", mixinStandardHelpOptions = true, description = "Print the inline chain (function, file, line) of each address as JSON lines.")
final class SymbolizeCommand implements Callable<Integer> {
    enum Backend { java, llvm, gnu }

    /**
     * The index symbolizes every site (coverage points and comparison sites) once. When the addresses
     * asked include at least one site in this many, that is little more work than answering them alone
     * (most compile units must be read either way), and every later run answers from the cache.
     */
    static final int BUILD_WHEN_ASKING_ONE_SITE_IN = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--vmlinux", required = true, paramLabel = "FILE", description = "The ELF file the addresses belong to.")
    Path vmlinux;

    @Option(names = "--modules", paramLabel = "DIR",
            description = "Where the modules' .ko files are (a build tree, /lib/modules/RELEASE or a debug package's"
                    + " tree; .ko.xz, .ko.zst and .ko.gz too); needs --layout.")
    Path modulesDir;

    @Option(names = "--layout", paramLabel = "FILE",
            description = "Where the kernel loaded each module's sections: MODULE SECTION ADDRESS lines"
                    + " (/sys/module/NAME/sections/*) or a copy of /proc/modules (places .text only); needs --modules.")
    Path layoutFile;

    @Option(names = "--backend", defaultValue = "java", paramLabel = "java|llvm|gnu",
            description = "java: our DWARF reader (default); llvm: llvm-symbolizer; gnu: addr2line.")
    Backend backend;

    /** Routing mark of an address in module space that no section of the layout holds: it gets no frames. */
    private static final String IN_NO_MODULE = "";

    /** The modules of the layout, once read. */
    private LoadedModules modules;

    @Parameters(arity = "0..1", paramLabel = "ADDRESS_FILE",
            description = "One address per line (0x hex, hex or decimal; # comments). Default: standard input.")
    Path addressFile;

    @Override
    public Integer call() throws IOException {
        long[] addresses = readAddresses();
        if (!Files.isRegularFile(vmlinux)) {
            throw new java.nio.file.NoSuchFileException(vmlinux.toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonLines lines = new JsonLines(out);
        if ((modulesDir == null) != (layoutFile == null)) {
            throw new ParameterException(spec.commandLine(), modulesDir == null
                    ? "--layout needs --modules DIR, the directory that holds the modules' .ko files"
                    : "--modules needs --layout FILE, where the kernel loaded each module (MODULE SECTION ADDRESS lines)");
        }
        if (layoutFile != null) {
            if (backend != Backend.java) {
                throw new ParameterException(spec.commandLine(), "--modules needs the java backend: the external"
                        + " symbolizers cannot place a module's .ko at its load addresses");
            }
            String[] moduleOf = routeToModules(addresses);
            if (Arrays.stream(moduleOf).anyMatch(m -> m != null)) {
                writeWithModules(lines, addresses, moduleOf);
                lines.flush();
                return 0;
            }
        } else {
            refuseModuleAddresses(addresses);
        }
        if (backend == Backend.java) {
            // Without an index (not worth building for these addresses) the answers come from the DWARF reader
            // the build's preparation read meanwhile.
            Optional<KernelIndexCache.Opening> index = KernelIndexes.cache().openIfSavingConcurrently(vmlinux,
                    BuildMonitor.SILENT, points -> worthBuilding(points, addresses),
                    symbolizer -> lines.writeAll(symbolizer.symbolizeAll(addresses),
                            SourceRoots.ontoSourceRoot(symbolizer)));
            if (index.isPresent()) {
                // A new index is saved while the answers are written out; the message comes once it is.
                KernelIndexCache.Result saved;
                try {
                    writeThroughIndex(lines, addresses, index.get());
                    lines.flush();
                } finally {
                    saved = index.get().finish();
                }
                sayWhenBuilt(saved, vmlinux.toString());
            }
        } else {
            ExternalBackend external = backend == Backend.llvm ? ExternalBackend.LLVM : ExternalBackend.GNU;
            try (AddressSymbolizer symbolizer = external.open(vmlinux)) {
                List<List<Frame>> chains = symbolizer.symbolize(addresses);
                for (int i = 0; i < addresses.length; i++) {
                    lines.write(addresses[i], chains.get(i));
                }
            }
        }
        lines.flush();
        return 0;
    }

    /** Module addresses without a layout would come out as empty answers, silently wrong: refuse them. */
    private void refuseModuleAddresses(long[] addresses) throws IOException {
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            if (!ModuleSpace.isKernelImage(elf)) {
                return;
            }
            long count = 0;
            long first = 0;
            for (long a : addresses) {
                if (ModuleSpace.contains(a) && elf.sectionContaining(a) == null) {
                    first = count++ == 0 ? a : first;
                }
            }
            if (count > 0) {
                throw new IOException(count + " of the addresses (the first 0x" + Long.toHexString(first) + ") lie in"
                        + " module space, outside " + vmlinux + ", but there is no module layout: record with the agent"
                        + " or pass --layout FILE (where each module was loaded) and --modules DIR (its .ko files)");
            }
        }
    }

    /**
     * The module of each address: null for the kernel's, {@link #IN_NO_MODULE} for one in module space
     * that no module of the layout holds; says on standard error how many of those there are.
     */
    private String[] routeToModules(long[] addresses) throws IOException {
        ModuleLayout layout = ModuleLayoutReader.read(layoutFile);
        PrintWriter err = spec.commandLine().getErr();
        layout.warnings().forEach(w -> err.println("kcov-explorer: warning: " + w));
        modules = new LoadedModules(layout, ModuleFinder.scan(modulesDir),
                new ModuleFiles(CacheDirectory.get().resolve("modules")));
        String[] moduleOf = new String[addresses.length];
        long unplaced = 0;
        long first = 0;
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            boolean kernel = ModuleSpace.isKernelImage(elf);
            for (int i = 0; i < addresses.length; i++) {
                if (elf.sectionContaining(addresses[i]) == null) {
                    moduleOf[i] = modules.moduleOf(addresses[i]);
                    if (moduleOf[i] == null && kernel && ModuleSpace.contains(addresses[i], layout.kaslrOffset())) {
                        first = unplaced++ == 0 ? addresses[i] : first;
                        moduleOf[i] = IN_NO_MODULE;
                    }
                }
            }
        }
        if (unplaced > 0) {
            err.println("kcov-explorer: " + unplaced + " of the addresses (the first 0x" + Long.toHexString(first)
                    + ") lie in module space but in no section " + layoutFile + " places: they get no frames");
        }
        err.flush();
        return moduleOf;
    }

    /** The kernel's addresses as without modules, each module's from its own placed file and index. */
    private void writeWithModules(JsonLines lines, long[] addresses, String[] moduleOf) throws IOException {
        List<List<Frame>> chains = new ArrayList<>(Collections.nCopies(addresses.length, List.<Frame>of()));
        Map<String, List<Integer>> groups = new LinkedHashMap<>(); // the kernel's (null) first, then per module
        for (int i = 0; i < addresses.length; i++) {
            if (!IN_NO_MODULE.equals(moduleOf[i])) {
                groups.computeIfAbsent(moduleOf[i], k -> new ArrayList<>()).add(i);
            }
        }
        for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
            long[] subset = group.getValue().stream().mapToLong(i -> addresses[i]).toArray();
            List<List<Frame>> answers;
            if (group.getKey() == null) {
                List<List<List<Frame>>> fromDwarf = new ArrayList<>(1);
                Optional<KernelIndexCache.Opening> index = KernelIndexes.cache().openIf(vmlinux,
                        BuildMonitor.SILENT, points -> worthBuilding(points, subset),
                        symbolizer -> fromDwarf.add(chains(subset, null, () -> symbolizer)));
                if (index.isPresent()) {
                    KernelIndexCache.Result saved;
                    try {
                        answers = chains(subset, index.get().index(), index.get()::dwarf);
                    } finally {
                        saved = index.get().finish();
                    }
                    sayWhenBuilt(saved, vmlinux.toString());
                } else {
                    answers = fromDwarf.get(0);
                }
            } else {
                String module = group.getKey();
                Path elf = modules.elf(module);
                Map<String, Long> sections = modules.sections(module);
                KernelIndexCache.Result index = KernelIndexes.cache().openPlaced(elf, sections, BuildMonitor.SILENT);
                sayWhenBuilt(index, "module " + module);
                answers = chains(subset, index.index(), () -> Symbolizer.openPlaced(elf, sections));
            }
            for (int k = 0; k < subset.length; k++) {
                chains.set(group.getValue().get(k), answers.get(k));
            }
        }
        for (int i = 0; i < addresses.length; i++) {
            lines.write(addresses[i], IN_NO_MODULE.equals(moduleOf[i]) ? null : moduleOf[i], chains.get(i));
        }
    }

    /** Opens the symbolizer that answers what an index does not (closing one of an image opened elsewhere keeps it open). */
    @FunctionalInterface
    private interface SymbolizerOpener {
        Symbolizer open() throws IOException;
    }

    /** Points and comparison sites from {@code index} (when there is one), every other address from the DWARF. */
    private static List<List<Frame>> chains(long[] addresses, KernelIndex index, SymbolizerOpener opener)
            throws IOException {
        List<List<Frame>> out = new ArrayList<>(addresses.length);
        List<Integer> missing = new ArrayList<>();
        KernelIndex sites = index != null && index.hasComparisonSites() ? index.comparisonSites() : null;
        for (int i = 0; i < addresses.length; i++) {
            int point = index == null ? -1 : index.findPoint(addresses[i]);
            int site = point < 0 && sites != null ? sites.findPoint(addresses[i]) : -1;
            out.add(point >= 0 ? index.frames(point) : site >= 0 ? sites.frames(site) : null);
            if (point < 0 && site < 0) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            try (Symbolizer symbolizer = opener.open()) {
                List<List<Frame>> answers = inOneTree(symbolizer.symbolize(
                        missing.stream().mapToLong(i -> addresses[i]).toArray()), symbolizer);
                for (int k = 0; k < missing.size(); k++) {
                    out.set(missing.get(k), answers.get(k));
                }
            }
        }
        return out;
    }

    /**
     * The chains with their files named as the image's index names them: files of units compiled in a copy of
     * the tree under the source root ({@link SourceRoots}), so that an answer does not depend on whether it came
     * from the index or the DWARF.
     */
    private static List<List<Frame>> inOneTree(List<List<Frame>> chains, Symbolizer symbolizer) {
        UnaryOperator<String> files = SourceRoots.ontoSourceRoot(symbolizer);
        return chains.stream().map(chain -> chain.stream().map(f -> f.file() == null ? f
                : new Frame(f.function(), f.linkage(), files.apply(f.file()), f.line(), f.column())).toList()).toList();
    }

    /** True when the image has sites and the distinct addresses asked include at least one in {@link #BUILD_WHEN_ASKING_ONE_SITE_IN}. */
    static boolean worthBuilding(CoveragePoints points, long[] addresses) {
        long sites = (long) points.calls().length + points.tails().length + points.comparisonSites().length;
        long[] sorted = addresses.clone();
        Arrays.sort(sorted);
        // Calls, tail calls and comparison sites are disjoint sorted lists: walk each beside the addresses.
        long asked = countShared(sorted, points.calls()) + countShared(sorted, points.tails())
                + countShared(sorted, points.comparisonSites());
        return sites > 0 && asked * BUILD_WHEN_ASKING_ONE_SITE_IN >= sites;
    }

    /** How many distinct values of {@code sortedValues} (repeats allowed) {@code sortedSites} holds. */
    private static long countShared(long[] sortedValues, long[] sortedSites) {
        long shared = 0;
        int i = 0;
        int j = 0;
        while (i < sortedValues.length && j < sortedSites.length) {
            long value = sortedValues[i];
            if (value < sortedSites[j]) {
                i++;
            } else if (value > sortedSites[j]) {
                j++;
            } else {
                shared++;
                while (i < sortedValues.length && sortedValues[i] == value) {
                    i++;
                }
                j++;
            }
        }
        return shared;
    }

    /** Once, on the run that wrote the cache (or failed to): later runs are silent. */
    private void sayWhenBuilt(KernelIndexCache.Result result, String image) {
        if (result.status() == KernelIndexCache.Status.REUSED) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "kcov-explorer: %s of %s (%,d coverage points) in the same pass: %s%s%n",
                result.status().description(), image, result.index().pointCount(), result.file(),
                result.detail().isEmpty() ? "; later runs answer from it" : " (" + result.detail() + ")");
        err.flush();
    }

    /**
     * Coverage points and comparison sites are answered from the index, only the other addresses, if
     * any, from the DWARF.
     */
    private void writeThroughIndex(JsonLines lines, long[] addresses, KernelIndexCache.Opening opening)
            throws IOException {
        KernelIndex index = opening.index();
        KernelIndex sites = index.hasComparisonSites() ? index.comparisonSites() : null;
        int[] points = new int[addresses.length];
        boolean[] isSite = new boolean[addresses.length];
        int misses = 0;
        int nextPoint = 0;
        int nextSite = 0;
        for (int i = 0; i < addresses.length; i++) {
            points[i] = index.findPoint(addresses[i], nextPoint);
            if (points[i] >= 0) {
                nextPoint = points[i] + 1;
            } else if (sites != null) {
                points[i] = sites.findPoint(addresses[i], nextSite);
                isSite[i] = points[i] >= 0;
                nextSite = isSite[i] ? points[i] + 1 : nextSite;
            }
            misses += points[i] < 0 ? 1 : 0;
        }
        List<List<Frame>> others = List.of();
        if (misses > 0) {
            long[] missing = new long[misses];
            for (int i = 0, m = 0; i < addresses.length; i++) {
                if (points[i] < 0) {
                    missing[m++] = addresses[i];
                }
            }
            others = inOneTree(opening.dwarf().symbolize(missing), opening.dwarf());
        }
        for (int i = 0, m = 0; i < addresses.length; i++) {
            if (points[i] >= 0) {
                lines.write(addresses[i], isSite[i] ? sites : index, points[i]);
            } else {
                lines.write(addresses[i], others.get(m++));
            }
        }
    }

    private long[] readAddresses() throws IOException {
        if (addressFile == null) {
            return AddressListParser.parse(System.in, "standard input");
        }
        try (InputStream in = Files.newInputStream(addressFile)) {
            return AddressListParser.parse(in, addressFile.toString());
        }
    }

}
