package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.RunArgument;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.RunDiff;
import dev.kcovexplorer.app.model.SeriesEnds;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.algebra.ExpressionException;
import dev.kcovexplorer.app.model.algebra.ExpressionParser;
import dev.kcovexplorer.app.model.algebra.RunNames;
import dev.kcovexplorer.app.model.algebra.SetExpression;
import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.report.DiffReport;
import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code diff}: what B (current) reached that A (baseline) did not, per file and function, largest change first. */
@Command(name = "diff", mixinStandardHelpOptions = true, description = {
    "Compare two runs on one kernel: A is the baseline, B the current run.",
    "A and B are dump files (FILE or LABEL=FILE), run series (DIR or LABEL=DIR: their latest snapshots) or, with "
        + "--session, names of runs or series (NAME@Ts: a series' snapshot at T seconds) or set expressions over them.",
    "text: per-file and per-function +gained/-lost points, largest change first;",
    "json: the same plus every line's genhtml category (CBC, GBC, LBC, UBC)."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SessionInputs inputs;

    @Parameters(index = "0", paramLabel = "A", description = "The baseline.")
    String baseline;

    @Parameters(index = "1", paramLabel = "B", description = "The current run.")
    String current;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--series", paramLabel = "[LABEL=]DIR",
            description = "Load a run series (a campaign directory or a directory of rawcover files) that A and B can name.")
    List<String> series = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write here (atomically) instead of stdout.")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("unknown diff format '" + format + "' (expected text or json)");
        }
        List<String> files = new ArrayList<>();
        // Each side that is no file, parsed once: checked against the names before loading, then computed.
        Map<String, SetExpression> expressions = new LinkedHashMap<>();
        for (String side : List.of(baseline, current)) {
            if (isInput(side)) {
                if (!files.contains(side)) {
                    files.add(side);
                }
            } else if (inputs.kernel.session == null && series.isEmpty()) {
                throw new NoSuchFileException(side
                        + " (names and expressions over runs need --session or --series)");
            } else {
                expressions.put(side, parsedOrMissing(side));
            }
        }
        files = SessionInputs.withSeries(files, series);
        RunNames<String> names = inputs.runNames(files);
        expressions.values().forEach(names::check);
        if (output != null) {
            AtomicFiles.requireNotAnInput(output, inputs.inputs(files));
        }
        Session session = inputs.load(files, spec.commandLine().getErr());
        Coverage a = session.coverage(expressionOf(baseline, expressions));
        Coverage b = session.coverage(expressionOf(current, expressions));
        RunDiff diff = session.diff(baseline, a, current, b);
        String unequalEnds = SeriesEnds.note(session, nameOf(baseline), nameOf(current));
        if (unequalEnds != null) {
            // Names and the cut's reason come from campaign.json: escaped, as series info prints them.
            spec.commandLine().getErr().println("note: " + Printable.of(unequalEnds));
        }
        if (output == null) {
            Writer out = spec.commandLine().getOut();
            write(diff, out);
        } else {
            AtomicFiles.write(output, stream -> write(diff, new OutputStreamWriter(stream, StandardCharsets.UTF_8)));
        }
        return 0;
    }

    private void write(RunDiff diff, Writer out) throws IOException {
        if (format.equals("json")) {
            DiffReport.writeJson(diff, baseline, current, out);
        } else {
            DiffReport.writeText(diff, baseline, current, out);
        }
        out.flush();
    }

    /**
     * A side by the name it has in the session: a loaded input's (a series directory's series), else as written (a
     * series of the session, a run, an expression).
     */
    private String nameOf(String side) {
        return isInput(side) ? inputs.loadedName(side) : side;
    }

    /**
     * A loaded side by the name it was given (a dump's label, a series' name: its latest snapshot); else its expression
     * as {@code parsed}.
     */
    private SetExpression expressionOf(String side, Map<String, SetExpression> parsed) {
        return isInput(side) ? new SetExpression.Name(inputs.loadedName(side), 1) : parsed.get(side);
    }

    /**
     * A side that is no file must be an expression over runs; one that does not parse was most likely a dump's path,
     * and is said as both ("unexpected '/' at column 1" alone did not say that the file is missing).
     */
    private static SetExpression parsedOrMissing(String side) throws NoSuchFileException {
        try {
            return ExpressionParser.parse(side);
        } catch (ExpressionException notAnExpression) {
            throw new NoSuchFileException(side + " (nor a run name or an expression over runs: "
                    + notAnExpression.getMessage() + ")");
        }
    }

    /** A side is loaded when it names an existing dump or series directory, directly or as LABEL=PATH. */
    private static boolean isInput(String side) {
        Path path = RunArgument.parse(side).file();
        return Files.isRegularFile(path) || Campaign.isSeries(path);
    }
}
