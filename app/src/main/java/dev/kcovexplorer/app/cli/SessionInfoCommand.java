package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.Printable;
import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.Percent;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code session info FILE}: what a session holds, after checking it against its manifest. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Read a session file (checking every count against its manifest) and say what it holds; "
                + "control characters in its labels and strings are shown as escapes.")
final class SessionInfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A .kcovx session file.")
    Path file;

    @Override
    public Integer call() throws IOException {
        Session session = SessionFile.read(file);
        PrintWriter out = spec.commandLine().getOut();
        KernelInfo kernel = session.kernel();
        out.printf("kernel: %s, build id %s, %s%n", orUnknown(kernel.release()), orUnknown(session.index().buildId()),
                Printable.of(session.index().arch()));
        out.printf("sources: %s, %d file hashes%n", kernel.sourcePackage() == null ? "unknown package"
                : Printable.of(kernel.sourcePackage() + " " + kernel.sourceVersion()), kernel.sourceHashes().size());
        out.printf("index: %d points, %d files, %d functions, %d coverable lines%n", session.index().pointCount(),
                session.layout().fileCount(), session.layout().functionCount(), session.layout().lineCount());
        for (SessionRun run : session.runs()) {
            var figures = run.figures();
            out.printf("run %s (%s, %s): %d unique PCs, %d matched, %d tail-attributed, %d candidates, "
                            + "%d unresolved; %d points hit (%s)%n", Printable.of(run.label()), orUnknown(run.remoteSource()),
                    run.mode(), figures.uniquePcs(), figures.matched(), figures.attributedExact(),
                    figures.attributedCandidates(), figures.unresolved(), run.points().hitCount(),
                    Percent.format(run.points().hitCount(), session.index().pointCount()));
        }
        return 0;
    }

    /** What the session says, safe for a terminal (labels and release strings come from the file). */
    private static String orUnknown(String s) {
        return s == null ? "unknown" : Printable.of(s);
    }
}
