package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.WindowScaleBench;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench window-scale}: the window (headless) on a kernel-scale session — by default a synthetic index of
 * 2,000,000 points with 10 runs of 1,000,000 unique PCs each — loading it, composing an expression over its runs
 * and diffing two of them, with the worst FX-thread stall of each step and the memory the window then holds.
 */
@Command(name = "window-scale", mixinStandardHelpOptions = true, description = {
    "Time the window (headless) loading, composing and diffing a kernel-scale session, with its worst FX-thread "
        + "stall per step and its memory (heap and RSS).",
    "Default: a synthetic 2,000,000-point index and 10 runs of 1,000,000 unique PCs; --session loads a session "
        + "file instead (its first two PC runs are composed and diffed)."})
final class BenchWindowScaleCommand implements Callable<Integer> {
    /** Composed over the synthetic runs: it names four. */
    private static final String EXPRESSION = "(run1 | run2) & run3 - run4";

    @Spec
    CommandSpec spec;

    @Option(names = "--session", paramLabel = "FILE", description = "Load this session file instead of a synthetic one.")
    Path session;

    @Option(names = "--points", defaultValue = "2000000", description = "Synthetic index size (default ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--runs", defaultValue = "10", description = "Synthetic runs (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--pcs", defaultValue = "1000000", description = "Unique PCs per synthetic run (default ${DEFAULT-VALUE}).")
    int pcs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (session != null) {
            if (!Files.isRegularFile(session)) {
                throw new NoSuchFileException(session.toString());
            }
            List<String> labels = SessionFile.runLabels(session, "pc");
            if (labels.size() < 2) {
                throw new IllegalArgumentException(session + " has fewer than two PC runs to compose and diff");
            }
            return WindowScaleBench.run(new WindowScaleBench.Plan(session.toString(), WindowScaleBench.sessionFile(session),
                    labels.get(0) + " & " + labels.get(1), labels.get(0), labels.get(1), out));
        }
        if (runs < 4) {
            throw new IllegalArgumentException("--runs: at least 4, for the expression " + EXPRESSION);
        }
        SplittableRandom random = new SplittableRandom(18);
        long start = System.nanoTime();
        KernelIndex index = SyntheticKernel.index(points, random);
        List<RunInput> inputs = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            // Runs reach 20-50% of the points, each its own share, so that they differ as fuzzing runs do.
            long[] unique = SyntheticKernel.run(index, pcs, 0.2 + 0.3 * r / Math.max(1, runs - 1), random);
            inputs.add(RunInput.ofPcs("run" + (r + 1), unique, PcKind.RETURN_ADDRESS));
        }
        String what = String.format(Locale.ROOT, "synthetic index of %,d points, %d runs of %,d unique PCs (made in %,d ms)",
                index.pointCount(), runs, pcs, (System.nanoTime() - start) / 1_000_000);
        return WindowScaleBench.run(new WindowScaleBench.Plan(what, progress -> {
            Session created = Session.create(index);
            for (RunInput input : inputs) {
                progress.checkCancelled();
                created.addRun(input);
            }
            return created;
        }, EXPRESSION, "run1", "run" + runs, out));
    }
}
