package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.symbolizer.AddressSymbolizer;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.FrameTable;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;
import dev.kcovexplorer.symbolizer.points.CoveragePoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code symbolize --vmlinux FILE [--backend java|llvm|gnu] [ADDRESS_FILE]}: one JSON object per
 * input address, in input order, with its inline chain innermost first. The java backend answers
 * coverage points and comparison sites from the cached kernel index; when there is none and the
 * addresses are mostly sites, it builds the index in the same run (which then answers them) and leaves
 * it in the cache, saying so once on standard error.
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

    @Option(names = "--backend", defaultValue = "java", paramLabel = "java|llvm|gnu",
            description = "java: our DWARF reader (default); llvm: llvm-symbolizer; gnu: addr2line.")
    Backend backend;

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
        Optional<KernelIndexCache.Result> index = backend == Backend.java
                ? KernelIndexes.cache().openIf(vmlinux, BuildMonitor.SILENT, points -> worthBuilding(points, addresses))
                : Optional.empty();
        if (index.isPresent()) {
            sayWhenBuilt(index.get());
            writeThroughIndex(lines, addresses, index.get().index());
        } else if (backend == Backend.java) {
            try (Symbolizer symbolizer = Symbolizer.open(vmlinux)) {
                FrameTable table = symbolizer.symbolizeAll(addresses);
                lines.writeAll(table);
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

    /** True when the image has sites and the distinct addresses asked include at least one in {@link #BUILD_WHEN_ASKING_ONE_SITE_IN}. */
    static boolean worthBuilding(CoveragePoints points, long[] addresses) {
        long sites = (long) points.calls().length + points.tails().length + points.comparisonSites().length;
        long[] distinct = LongStream.of(addresses).sorted().distinct().toArray();
        long asked = 0;
        for (long a : distinct) {
            if (Arrays.binarySearch(points.calls(), a) >= 0 || Arrays.binarySearch(points.tails(), a) >= 0
                    || Arrays.binarySearch(points.comparisonSites(), a) >= 0) {
                asked++;
            }
        }
        return sites > 0 && asked * BUILD_WHEN_ASKING_ONE_SITE_IN >= sites;
    }

    /** Once, on the run that wrote the cache (or failed to): later runs are silent. */
    private void sayWhenBuilt(KernelIndexCache.Result result) {
        if (result.status() == KernelIndexCache.Status.REUSED) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf(Locale.ROOT, "kcov-explorer: %s of %s (%,d coverage points) in the same pass: %s%s%n",
                result.status().description(), vmlinux, result.index().pointCount(), result.file(),
                result.detail().isEmpty() ? "; later runs answer from it" : " (" + result.detail() + ")");
        err.flush();
    }

    /**
     * Coverage points and comparison sites are answered from the index, only the other addresses, if
     * any, from the DWARF.
     */
    private void writeThroughIndex(JsonLines lines, long[] addresses, KernelIndex index) throws IOException {
        KernelIndex sites = index.hasComparisonSites() ? index.comparisonSites() : null;
        int[] points = new int[addresses.length];
        boolean[] isSite = new boolean[addresses.length];
        int misses = 0;
        for (int i = 0; i < addresses.length; i++) {
            points[i] = index.findPoint(addresses[i]);
            if (points[i] < 0 && sites != null) {
                points[i] = sites.findPoint(addresses[i]);
                isSite[i] = points[i] >= 0;
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
            try (Symbolizer symbolizer = Symbolizer.open(vmlinux)) {
                others = symbolizer.symbolize(missing);
            }
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
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return AddressListParser.parse(in, "standard input");
        }
        try (BufferedReader in = Files.newBufferedReader(addressFile, StandardCharsets.UTF_8)) {
            return AddressListParser.parse(in, addressFile.toString());
        }
    }

}
