package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.PointCoverage;
import dev.kcovexplorer.app.model.PointResolver;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code bench model}: the time to recompute everything the window shows for a run once the index is
 * loaded — attribution of its unique PCs, then line states, hit and run counts and all aggregates —
 * on a kernel-sized index (a real one from --vmlinux/--session, or a synthetic one).
 */
@Command(name = "model", mixinStandardHelpOptions = true, description = {
    "Time recomputing a run's coverage (attribution + line states + aggregates) on a kernel-sized index.",
    "Default: a synthetic 400k-point index and a 1M-unique-PC run; --vmlinux or --session use a real index."})
final class BenchModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class RealIndex {
        @Option(names = "--vmlinux", paramLabel = "FILE", description = "Use this kernel's (cached) index.")
        Path vmlinux;

        @Option(names = "--session", paramLabel = "FILE", description = "Use the index of this session file.")
        Path session;
    }

    @ArgGroup(exclusive = true)
    RealIndex real;

    @Option(names = "--points", defaultValue = "400000", description = "Synthetic index size (default ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--pcs", defaultValue = "1000000", description = "Unique PCs in the run (default ${DEFAULT-VALUE}).")
    int pcs;

    @Option(names = "--iterations", defaultValue = "10", description = "Timed recomputations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SplittableRandom random = new SplittableRandom(7);
        KernelIndex index;
        String origin;
        if (real != null && real.vmlinux != null) {
            index = KernelIndexes.cache().open(real.vmlinux, BuildMonitor.SILENT).index();
            origin = real.vmlinux.toString();
        } else if (real != null && real.session != null) {
            index = SessionFile.read(real.session).index();
            origin = real.session.toString();
        } else {
            index = SyntheticKernel.index(points, random);
            origin = "synthetic";
        }
        long start = System.nanoTime();
        CoverageLayout layout = CoverageLayout.build(index, PathMapper.forCompDir(index.compDir()));
        long layoutMillis = (System.nanoTime() - start) / 1_000_000;
        out.printf(Locale.ROOT, "index (%s): %,d points, %,d frames, %,d files, %,d functions, %,d coverable lines%n",
                origin, index.pointCount(), index.frameCount(), layout.fileCount(), layout.functionCount(),
                layout.lineCount());
        out.printf(Locale.ROOT, "layout, once per index: %,d ms%n", layoutMillis);
        long[] run = SyntheticKernel.run(index, pcs, 0.8, random);
        long[] other = SyntheticKernel.run(index, pcs, 0.5, random);
        int[] hits = new int[run.length];
        Arrays.fill(hits, 3);
        PointResolver resolver = new PointResolver(index, null);
        long[] attribution = new long[iterations];
        long[] coverage = new long[iterations];
        long[] composed = new long[iterations];
        PointResolver.Result resolved = null;
        PointCoverage second = resolver.resolve(other, null, PcKind.RETURN_ADDRESS).points();
        for (int i = 0; i < iterations + 2; i++) {
            long t0 = System.nanoTime();
            resolved = resolver.resolve(run, hits, PcKind.RETURN_ADDRESS);
            long t1 = System.nanoTime();
            Coverage c = Coverage.compute(layout, resolved.points(), List.of(resolved.points()));
            long t2 = System.nanoTime();
            PointCoverage union = resolved.points().union(second);
            Coverage.compute(layout, union, List.of(resolved.points(), second));
            long t3 = System.nanoTime();
            if (i >= 2) {
                attribution[i - 2] = t1 - t0;
                coverage[i - 2] = t2 - t1;
                composed[i - 2] = t3 - t2;
            }
            if (c.total().coveredPoints() != resolved.points().hitCount()) {
                throw new IllegalStateException("coverage lost points");
            }
        }
        var f = resolved.figures();
        out.printf(Locale.ROOT, "run: %,d unique PCs: %,d matched, %,d tail-attributed, %,d candidates, %,d unresolved%n",
                f.uniquePcs(), f.matched(), f.attributedExact(), f.attributedCandidates(), f.unresolved());
        out.printf(Locale.ROOT, "recompute (attribution + coverage), median of %d after 2 warm-ups: %.0f ms"
                        + " (attribution %.0f ms, line states + aggregates %.0f ms)%n", iterations,
                median(attribution, coverage), median(attribution), median(coverage));
        out.printf(Locale.ROOT, "union of two resolved runs + coverage, median: %.0f ms%n", median(composed));
        return 0;
    }

    private static double median(long[]... parts) {
        long[] sum = new long[parts[0].length];
        for (long[] part : parts) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += part[i];
            }
        }
        Arrays.sort(sum);
        return sum[sum.length / 2] / 1e6;
    }
}
