package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.report.HtmlReport;
import dev.kcovexplorer.app.model.report.JsonReport;
import dev.kcovexplorer.app.model.report.LcovReport;
import dev.kcovexplorer.app.model.report.RawCover;
import dev.kcovexplorer.app.model.report.ReportFormat;
import dev.kcovexplorer.app.model.report.SourceTexts;
import dev.kcovexplorer.app.model.report.SyzkallerCsv;
import dev.kcovexplorer.kcov.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code report}: coverage of runs (or of an expression over them) as JSON, LCOV, syzkaller CSV, rawcover or HTML. */
@Command(name = "report", mixinStandardHelpOptions = true, description = {
    "Write a coverage report for runs on a kernel: the union of all runs, or --expr over their names.",
    "RUN is FILE or LABEL=FILE, or a run series: DIR or LABEL=DIR (a campaign directory or a directory of rawcover "
        + "files); with --session the session's runs come first.",
    "Without --expr a series counts with its latest snapshot; in expressions its name means that snapshot and "
        + "NAME@Ts the one taken at T seconds.",
    "Formats: json (per-file line states and, with TRACE_CMP runs, lines by comparison sites reached; per-function "
        + "points; attribution), lcov (genhtml, Coverage Gutters), "
        + "funccover and filecover (syzkaller's CSV columns), rawcover (covered call sites), html (one offline file).",
    "With -o it prints one line: what it wrote and how big."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SessionInputs inputs;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "json",
            description = "json, lcov, funccover, filecover, rawcover or html (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write here (atomically) instead of stdout.")
    Path output;

    @Option(names = "--expr", paramLabel = "EXPR", description = "A set expression over run names, e.g. \"B - A\".")
    String expression;

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "kcov dumps or run series: FILE, LABEL=FILE, DIR or LABEL=DIR.")
    List<String> runs = new ArrayList<>();

    @Option(names = "--series", paramLabel = "[LABEL=]DIR",
            description = "A run series: a campaign directory or a directory of rawcover files (repeatable).")
    List<String> series = new ArrayList<>();

    private Session session;

    @Override
    public Integer call() throws IOException {
        ReportFormat reportFormat = ReportFormat.parse(format);
        List<String> runs = SessionInputs.withSeries(this.runs, series);
        inputs.checkArguments(runs, expression == null ? List.of() : List.of(expression));
        if (output != null) {
            AtomicFiles.requireNotAnInput(output, inputs.inputs(runs));
        }
        PrintWriter err = spec.commandLine().getErr();
        session = inputs.load(runs, err);
        if (session.runs().isEmpty()) {
            throw new IllegalArgumentException("no runs to report: give dumps as RUN arguments or a session with runs");
        }
        List<SessionRun> used = expression == null ? session.latestRuns() : session.runsIn(expression);
        Coverage coverage = expression == null ? session.coverage(used) : session.coverage(expression);
        String title = expression != null ? expression : describe(used);
        SourceTexts sources = inputs.sourceRoot == null ? SourceTexts.NONE : SourceTexts.directory(inputs.sourceRoot);
        if (output == null) {
            Writer out = spec.commandLine().getOut();
            write(reportFormat, coverage, used, sources, title, out);
            out.flush();
        } else {
            AtomicFiles.write(output, stream -> {
                Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                write(reportFormat, coverage, used, sources, title, out);
                out.flush();
            });
            spec.commandLine().getOut().printf(Locale.ROOT, "%s report of %s written to %s (%,d bytes)%n",
                    format, title, output, Files.size(output));
        }
        return 0;
    }

    private void write(ReportFormat reportFormat, Coverage coverage, List<SessionRun> runs, SourceTexts sources,
                       String title, Writer out) throws IOException {
        switch (reportFormat) {
            case JSON -> JsonReport.write(coverage, runs, comparisons(runs), out);
            case LCOV -> LcovReport.write(coverage, inputs.sourceRoot, title, out);
            case FUNCCOVER -> SyzkallerCsv.writeFunctions(coverage, out);
            case FILECOVER -> SyzkallerCsv.writeFiles(coverage, out);
            case RAWCOVER -> RawCover.write(coverage, out);
            case HTML -> HtmlReport.write(coverage, sources, "kcov coverage: " + title, out);
        }
    }

    /** The comparison-site coverage of the CMP runs among {@code runs}, or null when there are none. */
    private Coverage comparisons(List<SessionRun> runs) {
        List<SessionRun> cmp = runs.stream().filter(r -> r.comparisons() != null).toList();
        return cmp.isEmpty() ? null : session.coverage(cmp);
    }

    private static String describe(List<SessionRun> runs) {
        List<String> labels = new ArrayList<>();
        for (SessionRun run : runs) {
            labels.add(run.label());
        }
        return String.join(" | ", labels);
    }
}
