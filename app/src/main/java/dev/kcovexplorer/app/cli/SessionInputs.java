package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.RunArgument;
import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.ModuleRuns;
import dev.kcovexplorer.app.model.RunsWithModules;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.SeriesPoint;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.algebra.ExpressionParser;
import dev.kcovexplorer.app.model.algebra.NearestName;
import dev.kcovexplorer.app.model.algebra.RunNames;
import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code report}, {@code diff} and {@code session create} share: a kernel (a vmlinux, indexed
 * through the cache, or a session file), a source root, a prefix map, and runs given as
 * {@code FILE} or {@code LABEL=FILE} (unlabelled runs are named A, B, … by their position in the session).
 * A run argument naming a directory is a run series ({@link Campaign}): each snapshot becomes a run, and the
 * series' name (LABEL, else the campaign's) means its latest snapshot in expressions.
 */
final class SessionInputs {
    static final class Kernel {
        @Option(names = "--vmlinux", paramLabel = "FILE", required = true,
                description = "Kernel image with debug info (indexed once, then cached).")
        Path vmlinux;

        @Option(names = "--session", paramLabel = "FILE", required = true, description = "A .kcovx session file.")
        Path session;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kernel kernel;

    @Option(names = "--source-root", paramLabel = "DIR", description = "The kernel source tree.")
    Path sourceRoot;

    @Option(names = "--prefix-map", paramLabel = "FROM=TO",
            description = "Map build paths starting with FROM to TO (repeatable; for kernels built elsewhere).")
    List<String> prefixMap = new ArrayList<>();

    @Mixin
    ModuleOptions modules = new ModuleOptions();

    /** What each run argument was loaded as: the name expressions know it by (a run's label, a series' name). */
    private final Map<String, String> loadedNames = new LinkedHashMap<>();

    /** The files a command must never write over: a series' are its dumps and manifest. */
    List<Path> inputs(List<String> runs) throws IOException {
        List<Path> inputs = new ArrayList<>();
        inputs.add(kernel.vmlinux != null ? kernel.vmlinux : kernel.session);
        for (String run : runs) {
            Path file = RunArgument.parse(run).file();
            if (Campaign.isSeries(file)) {
                Campaign campaign = Campaign.read(file);
                campaign.snapshots().forEach(snapshot -> inputs.add(snapshot.file()));
                inputs.add(file.resolve(Campaign.MANIFEST));
            } else {
                inputs.add(file);
            }
        }
        return inputs;
    }

    /** The run arguments followed by the {@code --series} ones, which must be directories. */
    static List<String> withSeries(List<String> runs, List<String> series) throws IOException {
        List<String> all = new ArrayList<>(runs);
        for (String argument : series) {
            Path dir = RunArgument.parse(argument).file();
            if (!Campaign.isSeries(dir)) {
                throw new NoSuchFileException(dir + " (--series expects a campaign directory or a directory of"
                        + " rawcover files)");
            }
            all.add(argument);
        }
        return all;
    }

    /** The name an argument of {@link #load} goes by in expressions (its label, or its series' name). */
    String loadedName(String argument) {
        String name = loadedNames.get(argument);
        if (name == null) {
            throw new IllegalStateException(argument + " was not loaded");
        }
        return name;
    }

    /**
     * Checks, in a moment and before anything is loaded, what a user most often gets wrong: that every
     * dump exists and every expression names runs there will be (the session's, from its manifest, then
     * the dumps', by label or letter name).
     */
    void checkArguments(List<String> runs, List<String> expressions) throws IOException {
        checkArguments(kernel.session, runs, expressions);
    }

    static void checkArguments(Path session, List<String> runs, List<String> expressions) throws IOException {
        if (runs.isEmpty() && expressions.isEmpty()) {
            // Nothing to check against the manifest. Reading it (twice, Jackson's first use in the process) was
            // 0.1-0.15 s before `open SESSION.kcovx` started the toolkit; the session's reader says what is wrong
            // with the file itself, in the window or, for a snapshot, on standard error.
            return;
        }
        RunNames<String> names = runNames(session, runs);
        for (String expression : expressions) {
            names.check(ExpressionParser.parse(expression));
        }
    }

    /** {@link #runNames(Path, List)} of this command's session. */
    RunNames<String> runNames(List<String> runs) throws IOException {
        return runNames(kernel.session, runs);
    }

    /**
     * The names an expression may use once {@code runs} are added to the session: its manifest's runs and series, and
     * each dump's and run series' label. Every dump must be there and every run series readable (said here, before
     * the session or the vmlinux is loaded).
     */
    static RunNames<String> runNames(Path session, List<String> runs) throws IOException {
        // The manifest read once for both its labels and its series.
        List<SessionFile.ManifestRun> sessionRuns = session == null ? List.of() : SessionFile.manifestRuns(session);
        List<String> labels = new ArrayList<>(sessionRuns.stream().map(SessionFile.ManifestRun::label).toList());
        List<String> sessionLabels = List.copyOf(labels);
        Map<String, String> latestOfSeries = new LinkedHashMap<>(SessionFile.latestSnapshots(sessionRuns));
        List<RunArgument> series = new ArrayList<>();
        for (String argument : runs) {
            RunArgument run = RunArgument.parse(argument);
            if (Campaign.isSeries(run.file())) {
                series.add(run);
                continue;
            }
            if (!Files.isRegularFile(run.file())) {
                throw new NoSuchFileException(run.file() + sessionNameHint(argument, sessionLabels, latestOfSeries.keySet()));
            }
            labels.add(run.label());
        }
        for (RunArgument run : series) { // loaded after the dumps
            Campaign campaign = Campaign.read(run.file());
            String name = run.label() != null ? run.label() : campaign.name();
            for (Campaign.Snapshot snapshot : campaign.snapshots()) {
                labels.add(new SeriesPoint(name, snapshot.seconds()).label());
            }
            latestOfSeries.put(name, labels.get(labels.size() - 1));
        }
        RunNames<String> names = RunNames.of(labels, labels);
        latestOfSeries.forEach((name, latest) -> names.alias(name, labels.indexOf(latest)));
        return names;
    }

    /**
     * What a dump argument that is no file may have meant: a run or series of the session, named or misspelt (a run
     * named as a dump, then misspelt, was only "no such file"). Empty when no name of the session is near.
     */
    private static String sessionNameHint(String argument, List<String> runs, Collection<String> series) {
        String known = runs.contains(argument) ? "a run" : series.contains(argument) ? "a series" : null;
        if (known != null) {
            return " (" + known + " of the session: name it in an expression, e.g. --expr " + argument + ")";
        }
        List<String> names = new ArrayList<>(runs);
        names.addAll(series);
        String nearest = NearestName.of(argument, names);
        return nearest == null ? "" : " (did you mean the session's '" + nearest
                + "'? name it in an expression, e.g. --expr " + nearest + ")";
    }

    /** The session with the runs added; warnings (overflowed areas, foreign PCs) go to {@code err}. */
    Session load(List<String> runs, PrintWriter err) throws IOException {
        if (sourceRoot != null && !Files.isDirectory(sourceRoot)) {
            throw new NoSuchFileException(sourceRoot + " (expected the kernel source directory)");
        }
        Map<String, String> prefixes = prefixRules();
        if (kernel.session != null) {
            Session session = SessionFile.read(kernel.session);
            if (!prefixes.isEmpty()) {
                session = session.withPaths(new PathMapper(session.index().compDir(), prefixes));
            }
            session.setSourceRoot(sourceRoot);
            return addRuns(session, ModuleRuns.KernelExtent.of(session.kernelIndex()), runs, err);
        }
        KernelIndex index = KernelIndexes.cache().open(kernel.vmlinux, BuildMonitor.SILENT).index();
        Session session = Session.create(index, new PathMapper(index.compDir(), prefixes), KernelInfo.UNKNOWN,
                sourceRoot);
        try (ElfFile elf = ElfFile.open(kernel.vmlinux)) {
            session.setInspector(ReturnAddressInspector.of(elf));
            session = addRuns(session, ModuleRuns.KernelExtent.of(elf), runs, err);
            session.setInspector(null);
        }
        return session;
    }

    /**
     * The session with the runs added, and the modules they reach (another session object when there are some);
     * run series (directories) are added after the dumps, as {@link #checkArguments} counts them.
     */
    private Session addRuns(Session session, ModuleRuns.KernelExtent extent, List<String> runs, PrintWriter err)
            throws IOException {
        List<RunsWithModules.Recorded> recorded = new ArrayList<>();
        List<String> series = new ArrayList<>();
        for (String argument : runs) {
            RunArgument run = RunArgument.parse(argument);
            if (Campaign.isSeries(run.file())) {
                series.add(argument);
                continue;
            }
            CoverageRun read = DumpReader.read(run.file());
            for (String warning : read.warnings()) {
                err.println("kcov-explorer: warning: " + run.file() + ": " + warning);
            }
            String label = run.label() != null ? run.label()
                    : RunNames.letterName(session.runs().size() + recorded.size());
            recorded.add(new RunsWithModules.Recorded(RunInput.of(label, read, null),
                    modules.layoutOf(run.file(), err), run.file().toString()));
            loadedNames.put(argument, label);
        }
        RunsWithModules.Result result = RunsWithModules.add(session, extent, recorded, modules.sources(),
                warning -> err.println("kcov-explorer: warning: " + warning));
        for (int i = 0; i < result.added().size(); i++) {
            SessionRun added = result.added().get(i);
            if (added.warning() != null) {
                err.println("kcov-explorer: warning: " + recorded.get(i).origin() + ": " + added.warning());
            }
        }
        for (String argument : series) {
            RunArgument run = RunArgument.parse(argument);
            Campaign campaign = Campaign.read(run.file());
            String name = run.label() != null ? run.label() : campaign.name();
            for (SessionRun added : campaign.addTo(result.session(), name, i -> { })) {
                if (added.warning() != null) {
                    err.println("kcov-explorer: warning: " + added.label() + ": " + added.warning());
                }
            }
            loadedNames.put(argument, name);
        }
        err.flush();
        return result.session();
    }

    private Map<String, String> prefixRules() {
        Map<String, String> rules = new LinkedHashMap<>();
        for (String rule : prefixMap) {
            int eq = rule.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--prefix-map '" + rule + "': expected FROM=TO");
            }
            rules.put(rule.substring(0, eq), rule.substring(eq + 1));
        }
        return rules;
    }
}
