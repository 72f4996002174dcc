package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.RunArgument;
import dev.kcovexplorer.app.model.CoverageScope;
import dev.kcovexplorer.app.model.RunSeries;
import dev.kcovexplorer.app.model.SeriesCurve;
import dev.kcovexplorer.app.model.SeriesCut;
import dev.kcovexplorer.app.model.SeriesPoint;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.kcov.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code series info}: each series' coverage curve, the whole kernel's or under a path. */
@Command(name = "info", mixinStandardHelpOptions = true, description = {
    "Print each run series' coverage over time: covered points and lines per snapshot.",
    "The series are a session's (--session) and the directories given (DIR or LABEL=DIR: campaign directories or "
        + "directories of rawcover files).",
    "json: one object per snapshot, {\"series\":NAME,\"t\":SECONDS,\"points\":N,\"lines\":N}.",
    "A series whose campaign was cut short (the kernel oopsed, the bus stopped answering, or it was killed: its"
        + " campaign.json has no end figures), from a directory or kept in the session, says so: in text under its"
        + " series' line, in json by one more object after its snapshots,"
        + " {\"series\":NAME,\"cutShortAt\":SECONDS,\"cutShort\":TEXT}."})
final class SeriesInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SessionInputs inputs;

    @Option(names = "--path", paramLabel = "PREFIX",
            description = "Count only files under this source path (a directory or a file, e.g. drivers/usb/core).")
    String path;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Run series to load: DIR or LABEL=DIR.")
    List<String> directories = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("unknown format '" + format + "' (expected text or json)");
        }
        for (String directory : directories) {
            Path dir = RunArgument.parse(directory).file();
            if (!Campaign.isSeries(dir)) {
                throw new NoSuchFileException(dir + " (expected a campaign directory or a directory of rawcover files)");
            }
        }
        Path sessionFile = inputs.kernel.session;
        if (directories.isEmpty() && (sessionFile == null || SessionFile.latestSnapshots(sessionFile).isEmpty())) {
            // Said from the manifest: loading the session (5 s for the demo's) or indexing the vmlinux first told
            // nothing more.
            throw new IllegalArgumentException("no run series: " + (sessionFile == null ? "a vmlinux has none"
                    : sessionFile + " has none") + "; give campaign directories as DIR or a session that has series");
        }
        inputs.checkArguments(directories, List.of());
        Session session = inputs.load(directories, spec.commandLine().getErr());
        List<RunSeries> series = session.series();
        CoverageScope scope = CoverageScope.path(session.layout(), path);
        PrintWriter out = spec.commandLine().getOut();
        for (RunSeries one : series) {
            SeriesCurve curve = SeriesCurve.of(session.layout(), one, scope);
            if (format.equals("json")) {
                for (int i = 0; i < curve.size(); i++) {
                    out.printf(Locale.ROOT, "{\"series\":%s,\"t\":%s,\"points\":%d,\"lines\":%d}%n", quote(one.name()),
                            SeriesPoint.formatSeconds(curve.seconds()[i]), curve.points()[i], curve.lines()[i]);
                }
                SeriesCut cut = one.cut();
                if (cut != null) {
                    out.printf(Locale.ROOT, "{\"series\":%s,\"cutShortAt\":%s,\"cutShort\":%s}%n", quote(one.name()),
                            SeriesPoint.formatSeconds(cut.at()), quote(cut.text()));
                }
            } else {
                out.printf(Locale.ROOT, "series %s: %d snapshots, %s%n", Printable.of(one.name()), curve.size(),
                        Printable.of(scope.description()));
                if (one.cut() != null) {
                    out.printf(Locale.ROOT, "  %s%n", Printable.of(one.cut().text()));
                }
                out.printf(Locale.ROOT, "%10s %10s %10s%n", "seconds", "points", "lines");
                for (int i = 0; i < curve.size(); i++) {
                    out.printf(Locale.ROOT, "%10s %10d %10d%n", SeriesPoint.formatSeconds(curve.seconds()[i]),
                            curve.points()[i], curve.lines()[i]);
                }
            }
        }
        out.flush();
        return 0;
    }

    private static String quote(String text) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text))
                + "\"";
    }
}
