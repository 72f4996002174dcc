package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.ComparisonCoverage;
import dev.kcovexplorer.app.model.cmp.ComparisonSummarizer;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench cmp}: times what loading a TRACE_CMP run costs, step by step: reading the area, the
 * per-ip summary (exact distinct pairs, top 64, constants) and tying the ips to comparison sites, in
 * records per second. The area is a real dump or a generated one shaped like the demo's
 * {@code vhost_net_cmp} capture; the sites are a vmlinux's, or a synthetic kernel's.
 */
@Command(name = "cmp", mixinStandardHelpOptions = true, description = {
    "Time reading, summarizing and resolving a TRACE_CMP area (default: a generated 1.2M-record area like the demo's"
        + " vhost_net_cmp run) and print records per second.",
    "With --vmlinux the records land on that kernel's comparison sites; otherwise on a synthetic kernel's."})
final class BenchCmpCommand implements Callable<Integer> {
    private static final int CALL_LENGTH = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--dump", paramLabel = "FILE", description = "A real TRACE_CMP dump instead of a generated one.")
    Path dump;

    @Option(names = "--vmlinux", paramLabel = "FILE", description = "Kernel image whose comparison sites the ips land on.")
    Path vmlinux;

    @Option(names = "--records", defaultValue = "1200000", description = "Records generated (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--ips", defaultValue = "6000", description = "Distinct ips they come from (default ${DEFAULT-VALUE}).")
    int ips;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed rounds (default ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        KernelIndex sites = vmlinux != null
                ? KernelIndexes.cache().open(vmlinux, BuildMonitor.SILENT).index().comparisonSites()
                : SyntheticKernel.index(Math.max(ips * 4, 40_000), new SplittableRandom(7));
        Path dir = null;
        Path area = dump;
        try {
            if (area == null) {
                dir = Files.createTempDirectory("kcov-bench-cmp");
                area = dir.resolve("cmp.bin");
                writeArea(area, sites, new SplittableRandom(42));
            }
            out.printf(Locale.ROOT, "bench cmp: %s, %.1f MB; sites of %s (%,d)%n", dump != null ? dump : "generated area",
                    Files.size(area) / 1e6, vmlinux != null ? vmlinux : "a synthetic kernel", sites.pointCount());
            out.flush();
            measure(area, sites, out);
        } finally {
            if (dir != null) {
                Files.deleteIfExists(area);
                Files.deleteIfExists(dir);
            }
        }
        return 0;
    }

    private void measure(Path area, KernelIndex sites, PrintWriter out) throws IOException {
        long[][] nanos = new long[3][iterations];
        long count = 0;
        int reached = 0;
        long unresolved = 0;
        for (int i = 0; i < iterations; i++) {
            System.gc();
            long start = System.nanoTime();
            CoverageRun run = DumpReader.read(area);
            long read = System.nanoTime();
            if (run.mode() != TraceMode.CMP) {
                throw new IllegalArgumentException(area + ": a TRACE_PC dump, expected a TRACE_CMP area");
            }
            ComparisonSummary summary = ComparisonSummarizer.summarize(run.cmp());
            long summarized = System.nanoTime();
            ComparisonCoverage coverage = ComparisonCoverage.of(sites, summary);
            long resolved = System.nanoTime();
            nanos[0][i] = read - start;
            nanos[1][i] = summarized - read;
            nanos[2][i] = resolved - summarized;
            count = run.cmp().size();
            reached = coverage.reachedCount();
            unresolved = coverage.unresolvedRecords();
            out.printf(Locale.ROOT, "  round %d%s: read %,d ms, summarize %,d ms, sites %,d ms%n", i + 1,
                    i == 0 ? " (cold JIT)" : "", millis(nanos[0][i]), millis(nanos[1][i]), millis(nanos[2][i]));
            out.flush();
        }
        out.printf(Locale.ROOT, "%,d records, %,d comparison sites reached, %.2f%% of the records on no site%n", count,
                reached, count == 0 ? 0 : 100.0 * unresolved / count);
        String[] steps = {"read", "summarize", "sites"};
        long[] total = new long[iterations];
        for (int s = 0; s < steps.length; s++) {
            for (int i = 0; i < iterations; i++) {
                total[i] += nanos[s][i];
            }
            report(out, steps[s], nanos[s], count);
        }
        report(out, "all three", total, count);
    }

    private static void report(PrintWriter out, String step, long[] nanos, long count) {
        long[] warm = nanos.length > 1 ? Arrays.copyOfRange(nanos, 1, nanos.length) : nanos.clone();
        Arrays.sort(warm);
        long median = warm[warm.length / 2];
        out.printf(Locale.ROOT, "%-10s cold %,6d ms, warm median %,6d ms = %,.1f M records/s%n", step + ":",
                millis(nanos[0]), millis(median), median == 0 ? 0 : count * 1e3 / median);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /**
     * A CMP area shaped like a real capture: ips from {@link #ips} sites (return addresses of calls),
     * drawn with a skew (a few sites compare most often), 40% of them constant comparisons, each site
     * comparing its variable operand over a few dozen values and, for a constant site, one constant.
     */
    private void writeArea(Path file, KernelIndex sites, SplittableRandom random) throws IOException {
        int n = Math.min(ips, sites.pointCount());
        long[] ip = new long[n];
        long[] constant = new long[n];
        int[] type = new int[n];
        int[] spread = new int[n];
        for (int i = 0; i < n; i++) {
            int site = (int) ((long) i * sites.pointCount() / n);
            // Bit 0 of a site's kind is a tail call in both kinds of index: its ip is in another function.
            while ((sites.pointKind(site) & 1) != 0 && site + 1 < sites.pointCount()) {
                site++;
            }
            ip[i] = sites.pointAddress(site) + CALL_LENGTH;
            int log2 = random.nextInt(4);
            boolean isConst = random.nextInt(10) < 4;
            type[i] = log2 << 1 | (isConst ? 1 : 0);
            constant[i] = random.nextLong() & (log2 == 3 ? -1L : (1L << (8 << log2)) - 1);
            spread[i] = 1 + random.nextInt(48);
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream stream = Files.newOutputStream(file)) {
            buffer.putLong(records);
            for (int r = 0; r < records; r++) {
                // Squaring a uniform draw favours low indices: a few hot sites, a long tail.
                double u = random.nextDouble();
                int i = (int) (u * u * n);
                long value = random.nextInt(spread[i]);
                if (buffer.remaining() < 32) {
                    stream.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putLong(type[i]).putLong((type[i] & 1) != 0 ? constant[i] : value * 3)
                        .putLong((type[i] & 1) != 0 && random.nextInt(8) == 0 ? constant[i] : value).putLong(ip[i]);
            }
            stream.write(buffer.array(), 0, buffer.position());
        }
    }
}
