package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.Printable;
import dev.kcovexplorer.app.model.RunArgument;
import dev.kcovexplorer.app.model.ComparisonCoverage;
import dev.kcovexplorer.app.model.ComparisonSite;
import dev.kcovexplorer.app.model.ComparisonSites;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.app.model.algebra.NearestName;
import dev.kcovexplorer.app.model.cmp.UnresolvedRecords;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cmp}: what TRACE_CMP runs compared, one comparison site per line. */
@Command(name = "cmp", mixinStandardHelpOptions = true, description = {
    "List what the kernel compared in TRACE_CMP runs: one reached comparison site per line, by address, with its "
        + "location, kind, operand size, records, distinct (arg1, arg2) pairs and the most frequent pairs.",
    "RUN is FILE or LABEL=FILE; with --session also the label of one of its runs (no RUN: all its CMP runs).",
    "--missed keeps the const and switch sites whose variable operand never equalled a constant: the values a "
        + "fuzzer has yet to find.",
    "Records that land on no comparison site are counted on standard error with the reason."})
final class CmpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SessionInputs inputs;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text, or json: one object per site and line (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--file", paramLabel = "PATH",
            description = "Only the sites in this source file (its path, or the end of it after a '/').")
    String file;

    @Option(names = "--missed", description = "Only const and switch sites with a constant the operand never equalled.")
    boolean missed;

    @Option(names = "--top", paramLabel = "N", defaultValue = "64",
            description = "Pairs listed per site, most frequent first (default: ${DEFAULT-VALUE}, all a session keeps).")
    int top;

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "TRACE_CMP dumps (FILE or LABEL=FILE) or session run labels.")
    List<String> runs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        boolean json = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("--format " + format + ": expected text or json");
        };
        if (top < 1) {
            throw new IllegalArgumentException("--top " + top + ": expected at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkRunNames();
        Session session = inputs.load(List.of(), err);
        if (!session.index().hasComparisonSites()) {
            throw new IllegalArgumentException(inputs.kernel.session + ": the session was made before comparison sites"
                    + " were indexed: create it again (session create) to list comparisons");
        }
        if (file != null) {
            requireFileWithSites(session.comparisonLayout());
        }
        boolean failed = false;
        List<SessionRun> listed = new ArrayList<>();
        if (runs.isEmpty()) {
            listed.addAll(sessionCmpRuns(session));
        }
        for (String argument : runs) {
            // One bad dump is one line on standard error; the others are still listed.
            try {
                listed.add(runOf(session, argument, err));
            } catch (IOException | IllegalArgumentException e) {
                err.println("kcov-explorer: " + UserErrors.describe(e));
                failed = true;
            }
        }
        for (SessionRun run : listed) {
            ComparisonCoverage comparisons = run.comparisons();
            reportUnresolved(run, comparisons, err);
            List<ComparisonSite> sites = selected(ComparisonSites.reached(comparisons,
                    session.comparisonLayout().paths()));
            if (json) {
                CmpJson.write(run.label(), sites, top, out);
            } else {
                out.printf(Locale.ROOT, "# %s: %,d records, %,d of %,d comparison sites reached%s%n",
                        Printable.of(run.label()),
                        comparisons.summary().totalRecords(), comparisons.reachedCount(), comparisons.siteCount(),
                        file == null && !missed ? "" : ", " + sites.size() + " listed");
                CmpText.write(sites, top, comparisons.summary().hasValues(), out);
            }
            out.flush();
        }
        err.flush();
        return failed ? 1 : 0;
    }

    private static List<SessionRun> sessionCmpRuns(Session session) {
        List<SessionRun> cmp = session.runs().stream().filter(r -> r.comparisons() != null).toList();
        if (cmp.isEmpty()) {
            throw new IllegalArgumentException("no TRACE_CMP runs to list: give CMP dumps as RUN arguments"
                    + (session.runs().isEmpty() ? "" : " (the session's runs are all TRACE_PC)"));
        }
        return cmp;
    }

    /**
     * Every argument that is no dump names a TRACE_CMP run of the session: said from its manifest, before the session
     * (5 s for the demo's) or the vmlinux is loaded. A dump that cannot be read is said when it is read, and the other
     * runs are still listed.
     */
    private void checkRunNames() throws IOException {
        Path session = inputs.kernel.session;
        List<String> cmpLabels = null;
        List<String> labels = null;
        for (String argument : runs) {
            Path file = RunArgument.parse(argument).file();
            if (Files.isRegularFile(file)) {
                continue;
            }
            if (Files.exists(file)) {
                throw new IllegalArgumentException(file + ": not a file, expected a TRACE_CMP dump");
            }
            if (session == null) {
                throw new NoSuchFileException(file.toString());
            }
            if (labels == null) { // the manifest read once for the labels and the modes
                String cmp = TraceMode.CMP.id();
                List<SessionFile.ManifestRun> sessionRuns = SessionFile.manifestRuns(session);
                cmpLabels = sessionRuns.stream().filter(run -> run.mode().equals(cmp))
                        .map(SessionFile.ManifestRun::label).toList();
                labels = sessionRuns.stream().map(SessionFile.ManifestRun::label).toList();
            }
            if (cmpLabels.contains(argument)) {
                continue;
            }
            if (labels.contains(argument)) {
                throw new IllegalArgumentException("run '" + argument + "' of " + session
                        + " is a TRACE_PC run, expected a TRACE_CMP run");
            }
            String nearest = NearestName.of(argument, labels);
            throw new NoSuchFileException(file + " (and no run of " + session + " is labelled so"
                    + (nearest != null ? "; did you mean '" + nearest + "'?)" : ")"));
        }
    }

    /** A session run named by its label ({@link #checkRunNames} found it), or a dump read and added to the session. */
    private SessionRun runOf(Session session, String argument, PrintWriter err) throws IOException {
        RunArgument parsed = RunArgument.parse(argument);
        if (inputs.kernel.session != null && !Files.exists(parsed.file())) {
            return requireCmp(session.run(argument).orElseThrow(), "run '" + argument + "' of " + inputs.kernel.session);
        }
        CoverageRun read = DumpReader.read(parsed.file());
        for (String warning : read.warnings()) {
            err.println("kcov-explorer: warning: " + parsed.file() + ": " + warning);
        }
        if (read.mode() != TraceMode.CMP) {
            throw new IllegalArgumentException(parsed.file() + ": a TRACE_PC dump, expected a TRACE_CMP area"
                    + " (match and report read PC dumps)");
        }
        String base = parsed.file().getFileName().toString().replaceFirst("\\..*$", "");
        String label = parsed.label() != null ? parsed.label() : session.freeLabel(base.isEmpty() ? "cmp" : base);
        return requireCmp(session.addRun(RunInput.of(label, read, null, Math.max(top, ComparisonSummary.DEFAULT_TOP))),
                parsed.file().toString());
    }

    private static SessionRun requireCmp(SessionRun run, String what) {
        if (run.comparisons() == null) {
            throw new IllegalArgumentException(what + " is a TRACE_" + run.mode().toUpperCase(Locale.ROOT)
                    + " run, expected a TRACE_CMP run");
        }
        return run;
    }

    private static void reportUnresolved(SessionRun run, ComparisonCoverage comparisons, PrintWriter err) {
        long total = comparisons.summary().totalRecords();
        for (UnresolvedRecords u : comparisons.unresolved()) {
            err.printf(Locale.ROOT, "kcov-explorer: warning: %s: %,d of %,d records (%,d ip%s) on no comparison site:"
                            + " %s (first: %s, ip 0x%x)%n",
                    Printable.of(run.sourceFile() != null ? run.sourceFile() : run.label()),
                    u.records(), total, u.ips(), u.ips() == 1 ? "" : "s", u.reason(),
                    u.firstRecord() >= 0 ? "record " + u.firstRecord() : "no record order", u.firstIp());
        }
    }

    private List<ComparisonSite> selected(List<ComparisonSite> sites) {
        return sites.stream()
                .filter(s -> file == null || inFile(s.file()))
                .filter(s -> !missed || !s.missedConstants().isEmpty())
                .toList();
    }

    private boolean inFile(String path) {
        return path != null && (path.equals(file) || path.endsWith("/" + file));
    }

    private void requireFileWithSites(CoverageLayout layout) {
        for (int f = 0; f < layout.fileCount(); f++) {
            if (inFile(layout.filePath(f))) {
                return;
            }
        }
        throw new IllegalArgumentException("--file " + file + ": no source file of this kernel with comparison sites"
                + " is called so");
    }
}
