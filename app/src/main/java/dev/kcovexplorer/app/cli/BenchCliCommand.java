package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.session.SessionFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench cli}: the commands a user runs on a session, each a whole process started through the launcher
 * as a user starts it (JVM, class-data archive, reading the session, writing the output), alternating round by
 * round so load changes hit every command alike: wall time, CPU time and peak RSS.
 */
@Command(name = "cli", mixinStandardHelpOptions = true, description = {
    "Time the commands a user runs on a session (session info, report, diff, cmp, and a wrong run name) as whole "
        + "processes started through the launcher, alternating, and print wall time, CPU time and peak RSS "
        + "(medians; the output goes nowhere).",
    "One untimed run comes first: the launcher's first run after a build records its class-data archive."})
final class BenchCliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--session", paramLabel = "FILE", defaultValue = "sample-data/demo/demo.kcovx",
            description = "The session (default ${DEFAULT-VALUE}).")
    Path session;

    @Option(names = "--launcher", paramLabel = "FILE", defaultValue = "./kcov-explorer",
            description = "The launcher to start (default ${DEFAULT-VALUE}: run from the checkout).")
    Path launcher;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds of all commands (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--diff", paramLabel = "A,B", split = ",",
            description = "The two runs diff compares (default: the session's first two PC runs; a PC run and a "
                    + "CMP run are not compared).")
    List<String> diffRuns = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        for (Path file : List.of(session, launcher)) {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds " + rounds + ": expected at least 1");
        }
        if (!diffRuns.isEmpty() && diffRuns.size() != 2) {
            throw new IllegalArgumentException("--diff " + String.join(",", diffRuns) + ": expected two runs, A,B");
        }
        Map<String, List<String>> commands = commands(diffRuns.isEmpty() ? SessionFile.runLabels(session, "pc") : diffRuns);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench cli: %s on %s, %d rounds, alternating; %s%n", launcher, session, rounds,
                TimedRun.machineLoad());
        out.flush();
        TimedRun warmUp = TimedRun.of(commands.values().iterator().next(), null, Map.of());
        out.printf(Locale.ROOT, "untimed first run (records the launcher's class-data archive): %.2f s%n",
                warmUp.seconds());
        Map<String, List<TimedRun>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (Map.Entry<String, List<String>> c : commands.entrySet()) {
                TimedRun run = TimedRun.of(c.getValue(), null, Map.of());
                results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(run);
                line.append(String.format(Locale.ROOT, "  %s %.2f s %.0f MB;", c.getKey(), run.seconds(),
                        run.megabytes()));
            }
            out.println(line);
            out.flush();
        }
        out.printf(Locale.ROOT, "medians of %d runs:%n  %-36s %8s %9s %9s  %s%n", rounds, "command", "wall", "CPU",
                "peak RSS", "wall range");
        for (Map.Entry<String, List<TimedRun>> e : results.entrySet()) {
            List<TimedRun> runs = e.getValue();
            TimedRun last = runs.get(runs.size() - 1);
            out.printf(Locale.ROOT, "  %-36s %6.2f s %7.2f s %6.0f MB  %.2f-%.2f s%s%n", e.getKey(),
                    median(runs, TimedRun::seconds), median(runs, TimedRun::cpuSeconds),
                    median(runs, TimedRun::megabytes), min(runs), max(runs),
                    last.exitCode() == 0 ? "" : "  (exit " + last.exitCode() + ": " + last.error() + ")");
        }
        out.println("at the end: " + TimedRun.machineLoad());
        out.flush();
        return 0;
    }

    /** What is timed, by name: diff compares the first two of {@code labels}. */
    private Map<String, List<String>> commands(List<String> labels) {
        String file = session.toString();
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("session info", launch("session", "info", file));
        commands.put("report --format lcov", launch("report", "--session", file, "--format", "lcov"));
        commands.put("report --format json", launch("report", "--session", file, "--format", "json"));
        if (labels.size() >= 2) {
            commands.put("diff " + labels.get(0) + " " + labels.get(1),
                    launch("diff", "--session", file, labels.get(0), labels.get(1)));
        }
        commands.put("cmp", launch("cmp", "--session", file));
        commands.put("report --expr (a wrong run name)", launch("report", "--session", file, "--expr", "no_such_run"));
        return commands;
    }

    private List<String> launch(String... args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static double median(List<TimedRun> runs, ToDoubleFunction<TimedRun> figure) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double min(List<TimedRun> runs) {
        return runs.stream().mapToDouble(TimedRun::seconds).min().orElse(0);
    }

    private static double max(List<TimedRun> runs) {
        return runs.stream().mapToDouble(TimedRun::seconds).max().orElse(0);
    }
}
