package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.algebra.ExpressionException;
import dev.kcovexplorer.app.model.algebra.ExpressionParser;
import dev.kcovexplorer.app.model.algebra.RunNames;
import dev.kcovexplorer.app.model.algebra.SetExpression;
import dev.kcovexplorer.app.model.algebra.SetOperations;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.app.model.modules.SessionModules;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One kernel (its index, path mapping and build facts) with the loadable modules its runs reached, a
 * source root, and N runs. The entry point of the model: the window, the CLI and the reports all ask it
 * for {@link Coverage} and {@link RunDiff}. With modules, {@link #index()} is the kernel's and theirs as
 * one ({@link SessionModules#mergedWith}), so module files are files like any other.
 *
 * <p>Thread-safe: the run list is replaced, never mutated, so readers on worker threads see a
 * consistent snapshot; mutators are synchronized.
 */
public final class Session {
    /** Okabe–Ito: told apart by colour-blind users, readable on light and dark backgrounds. */
    private static final String[] PALETTE = {
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
    };

    private final KernelIndex kernelIndex;
    private final SessionModules modules;
    private final KernelIndex index;
    private final CoverageLayout layout;
    private volatile PointResolver resolver;
    private final KernelInfo kernel;
    private volatile Path sourceRoot;
    private volatile List<SessionRun> runs = List.of();
    /** The layout of the comparison sites, built on first use (a CMP run). */
    private volatile CoverageLayout comparisonLayout;
    private volatile GuardedLines.SiteLines comparisonSiteLines;
    private int coloursHandedOut;
    /** {@link #functionImages} of the layout and of the comparison layout, once computed. */
    private final String[][] layoutImages = new String[1][];
    private final String[][] comparisonImages = new String[1][];

    private Session(KernelIndex kernelIndex, SessionModules modules, KernelIndex index, CoverageLayout layout,
                    KernelInfo kernel, Path sourceRoot) {
        this.kernelIndex = kernelIndex;
        this.modules = modules;
        this.index = index;
        this.layout = layout;
        this.resolver = new PointResolver(index, null);
        this.kernel = kernel;
        this.sourceRoot = sourceRoot;
    }

    /** A session on an index, with paths relative to the index's comp dir. */
    public static Session create(KernelIndex index) {
        return create(index, PathMapper.forCompDir(index.compDir()), KernelInfo.UNKNOWN, null);
    }

    /** Builds the layout (the one expensive step, ~1 s on a full kernel); sourceRoot may be null. */
    public static Session create(KernelIndex index, PathMapper paths, KernelInfo kernel, Path sourceRoot) {
        return create(index, SessionModules.NONE, paths, kernel, sourceRoot);
    }

    /** A session on a kernel's index and its modules' (placed as {@code modules} says). */
    public static Session create(KernelIndex kernelIndex, SessionModules modules, PathMapper paths, KernelInfo kernel,
                                 Path sourceRoot) {
        KernelIndex merged = modules.mergedWith(kernelIndex);
        return new Session(kernelIndex, modules, merged, CoverageLayout.build(merged, paths), kernel, sourceRoot);
    }

    /**
     * The same runs over the kernel and {@code more} modules (which contain this session's): the index
     * and layout are built again and every run resolved again on them, keeping its label and colour.
     */
    public Session withModules(SessionModules more) {
        if (more == modules) {
            return this;
        }
        Session copy = create(kernelIndex, more, layout.paths(), kernel, sourceRoot);
        copy.resolver = new PointResolver(copy.index, resolver.inspector());
        copy.coloursHandedOut = coloursHandedOut;
        for (SessionRun run : runs) {
            copy.addRun(run.input(), run.figures(), run.seriesPoint(), run.seriesCut());
            // Made from the same data, not from a copy of it: a live run knows its own run by that (isMadeFrom).
            copy.replace(run.label(), again -> again.madeFromTheDataOf(run));
        }
        return copy;
    }

    /**
     * Lets attribution explain unresolved PCs from the vmlinux's code (runs added from now on); the
     * inspector must stay open while runs are added.
     */
    public void setInspector(ReturnAddressInspector inspector) {
        this.resolver = new PointResolver(index, inspector);
    }

    /** What explains unresolved PCs of the runs added from now on, or null. */
    public ReturnAddressInspector inspector() {
        return resolver.inspector();
    }

    /** The same runs over a different path mapping (the layout is rebuilt). */
    public Session withPaths(PathMapper paths) {
        Session copy = new Session(kernelIndex, modules, index, CoverageLayout.build(index, paths), kernel, sourceRoot);
        copy.runs = runs;
        copy.coloursHandedOut = coloursHandedOut;
        return copy;
    }

    /** The same runs with different build facts (e.g. source hashes computed after creation). */
    public Session withKernel(KernelInfo newKernel) {
        Session copy = new Session(kernelIndex, modules, index, layout, newKernel, sourceRoot);
        copy.runs = runs;
        copy.coloursHandedOut = coloursHandedOut;
        return copy;
    }

    /** The kernel's index with the modules' merged in: what runs resolve on and the layout is built from. */
    public KernelIndex index() {
        return index;
    }

    /** The kernel image's own index, without modules. */
    public KernelIndex kernelIndex() {
        return kernelIndex;
    }

    /**
     * Per function of {@code layout} (this session's layout or its comparison layout), the images it has
     * code in ({@link FunctionImages}); computed once per layout.
     */
    public String[] functionImages(CoverageLayout of) {
        if (of != layout && of != comparisonLayout) {
            return FunctionImages.of(of, modules);
        }
        String[][] cache = of == layout ? layoutImages : comparisonImages;
        synchronized (cache) {
            if (cache[0] == null) {
                cache[0] = FunctionImages.of(of, modules);
            }
            return cache[0];
        }
    }

    /** The modules whose coverage this session holds, each at its session addresses. */
    public SessionModules modules() {
        return modules;
    }

    public CoverageLayout layout() {
        return layout;
    }

    public KernelInfo kernel() {
        return kernel;
    }

    public Optional<Path> sourceRoot() {
        return Optional.ofNullable(sourceRoot);
    }

    public void setSourceRoot(Path root) {
        this.sourceRoot = root;
    }

    /** The runs in the order they were added. */
    public List<SessionRun> runs() {
        return runs;
    }

    public Optional<SessionRun> run(String label) {
        for (SessionRun run : runs) {
            if (run.label().equals(label)) {
                return Optional.of(run);
            }
        }
        return Optional.empty();
    }

    /** Resolves the run's PCs against the index and adds it; labels must be unique. */
    public SessionRun addRun(RunInput input) {
        return addRun(input, null, null, null);
    }

    /**
     * Adds a snapshot of a run series: its label must be {@link SeriesPoint#label()}, and it takes the colour
     * of the series' earlier snapshots; {@code cut} says how its campaign was cut short (null: it was not).
     */
    public SessionRun addSnapshot(RunInput input, SeriesPoint point, SeriesCut cut) {
        return addRun(input, null, point, cut);
    }

    /**
     * Adds a run keeping figures recorded when the vmlinux was at hand (a session file's; null: none): their
     * unresolved reasons say more than the index alone can, and their counts must agree with this index. A snapshot
     * of the series {@code point} names (null: none) as {@link #addSnapshot} adds one.
     */
    public SessionRun addRun(RunInput input, AttributionFigures recorded, SeriesPoint point, SeriesCut cut) {
        if (cut != null && point == null) {
            throw new IllegalArgumentException("only a series' snapshot can be cut short");
        }
        if (point != null && !point.label().equals(input.label())) {
            throw new IllegalArgumentException("snapshot of series '" + point.series() + "' at "
                    + SeriesPoint.formatSeconds(point.seconds()) + " s must be labelled '" + point.label()
                    + "', not '" + input.label() + "'");
        }
        ComparisonCoverage comparisons = comparisons(input);
        PointResolver.Result resolved = resolve(input, comparisons);
        AttributionFigures figures = resolved.figures();
        if (recorded != null) {
            if (recorded.matched() != figures.matched() || recorded.attributedExact() != figures.attributedExact()
                    || recorded.attributedCandidates() != figures.attributedCandidates()
                    || recorded.unresolved() != figures.unresolved()) {
                throw new IllegalArgumentException("recorded attribution (" + recorded.matched() + " matched, "
                        + recorded.unresolved() + " unresolved) does not match this index (" + figures.matched()
                        + " matched, " + figures.unresolved() + " unresolved)");
            }
            figures = new AttributionFigures(figures.reading(), figures.uniquePcs(), figures.matched(),
                    figures.attributedExact(), figures.attributedCandidates(), figures.unresolved(),
                    figures.returnAddressRate(), figures.callSiteRate(), recorded.unresolvedReasons());
        }
        synchronized (this) {
            if (run(input.label()).isPresent()) {
                throw new IllegalArgumentException("a run named '" + input.label() + "' is already loaded");
            }
            checkNamesApart(input.label(), point);
            Optional<RunSeries> series = point == null ? Optional.empty() : series(point.series());
            String colour = input.colour() != null ? input.colour()
                    : series.isPresent() ? series.get().colour() : PALETTE[coloursHandedOut++ % PALETTE.length];
            SessionRun run = new SessionRun(input, input.label(), colour, input.remoteSource(), resolved.points(),
                    figures, comparisons, point, cut);
            List<SessionRun> next = new ArrayList<>(runs);
            next.add(run);
            runs = List.copyOf(next);
            return run;
        }
    }

    /**
     * Replaces a run's data (a live run that received a batch, a re-recorded dump) in place, keeping its
     * position, label, and its colour and remote source unless {@code input} names new ones; attribution
     * runs again on the new PCs.
     */
    public SessionRun replaceRunData(String label, RunInput input) {
        run(label).orElseThrow(() -> new IllegalArgumentException("no run named '" + label + "'"));
        return replaceRunData(label, null, input).orElseThrow(
                () -> new IllegalArgumentException("no run named '" + label + "'"));
    }

    /**
     * Replaces the data of the run labelled {@code label} only while it is still the one made from
     * {@code previous} (null: whichever it is), checked and replaced at once: a live run the user renamed,
     * removed or gave its label to another run meanwhile is left alone, and the answer is empty.
     */
    public Optional<SessionRun> replaceRunData(String label, RunInput previous, RunInput input) {
        ComparisonCoverage comparisons = comparisons(input);
        PointResolver.Result resolved = resolve(input, comparisons);
        synchronized (this) {
            Optional<SessionRun> existing = run(label).filter(run -> previous == null || run.isMadeFrom(previous));
            return existing.map(run -> replace(label, current -> new SessionRun(input, label,
                    input.colour() != null ? input.colour() : run.colour(),
                    input.remoteSource() != null ? input.remoteSource() : run.remoteSource(),
                    resolved.points(), resolved.figures(), comparisons, run.seriesPoint(), run.seriesCut())));
        }
    }

    /** {@code base}, or {@code base_2}, {@code base_3}… whichever no run has. */
    public synchronized String freeLabel(String base) {
        if (run(base).isEmpty()) {
            return base;
        }
        int n = 2;
        while (run(base + "_" + n).isPresent()) {
            n++;
        }
        return base + "_" + n;
    }

    /** A CMP run on the comparison sites, or null (a PC run, or an index that predates comparison sites). */
    private ComparisonCoverage comparisons(RunInput input) {
        if (!input.isComparisonMode() || !index.hasComparisonSites()) {
            return null;
        }
        ComparisonSummary summary = input.comparisons() != null ? input.comparisons()
                : ComparisonSummary.recordsOnly(input.uniquePcs(), input.hitCounts());
        return ComparisonCoverage.of(index.comparisonSites(), summary);
    }

    /** A CMP run hits no coverage point: its evidence is on comparison sites, its figures say how it landed there. */
    private PointResolver.Result resolve(RunInput input, ComparisonCoverage comparisons) {
        if (comparisons != null) {
            return new PointResolver.Result(PointCoverage.empty(index.pointCount()), comparisons.figures());
        }
        return resolver.resolve(input.uniquePcs(), input.hitCounts(),
                input.reading() == null ? PcKind.UNKNOWN : input.reading());
    }

    /**
     * The layout of the comparison sites (files, lines and functions that hold comparisons), built once;
     * null when the index predates comparison sites.
     */
    public CoverageLayout comparisonLayout() {
        if (!index.hasComparisonSites()) {
            return null;
        }
        CoverageLayout built = comparisonLayout;
        if (built == null) {
            synchronized (this) {
                built = comparisonLayout;
                if (built == null) {
                    built = CoverageLayout.build(index.comparisonSites(), layout.paths());
                    comparisonLayout = built;
                }
            }
        }
        return built;
    }

    /**
     * Where the comparison sites are, by file and function, for {@link GuardedLines}: computed once, as every
     * composition of the session asks for the same; null when the index predates comparison sites.
     */
    public GuardedLines.SiteLines comparisonSiteLines() {
        if (!index.hasComparisonSites()) {
            return null;
        }
        GuardedLines.SiteLines lines = comparisonSiteLines;
        if (lines == null) {
            synchronized (this) {
                lines = comparisonSiteLines;
                if (lines == null) {
                    lines = GuardedLines.siteLines(index.comparisonSites(), layout.paths());
                    comparisonSiteLines = lines;
                }
            }
        }
        return lines;
    }

    /**
     * A series' name means its latest snapshot in expressions, so it may not be a run's label: a run named
     * {@code guided} and a series named {@code guided} would make the name mean two things.
     */
    private void checkNamesApart(String label, SeriesPoint point) {
        if (point == null) {
            if (series(label).isPresent()) {
                throw new IllegalArgumentException("'" + label + "' is the name of a run series");
            }
        } else if (run(point.series()).isPresent()) {
            throw new IllegalArgumentException("series '" + point.series() + "' has the name of a run");
        }
    }

    /** The run series, in the order their first snapshots were added; each one's snapshots by time. */
    public List<RunSeries> series() {
        java.util.Map<String, List<SessionRun>> grouped = new java.util.LinkedHashMap<>();
        for (SessionRun run : runs) {
            if (run.seriesPoint() != null) {
                grouped.computeIfAbsent(run.seriesPoint().series(), k -> new ArrayList<>()).add(run);
            }
        }
        List<RunSeries> out = new ArrayList<>(grouped.size());
        grouped.forEach((name, snapshots) -> {
            snapshots.sort(java.util.Comparator.comparingDouble(r -> r.seriesPoint().seconds()));
            out.add(new RunSeries(name, snapshots.get(0).colour(), snapshots));
        });
        return out;
    }

    /** What the session's coverage is made of: every run of its own, and each series' latest snapshot. */
    public List<SessionRun> latestRuns() {
        List<SessionRun> current = runs;
        List<RunSeries> series = series();
        List<SessionRun> out = new ArrayList<>();
        for (SessionRun run : current) {
            if (run.seriesPoint() == null || series.stream().anyMatch(s -> s.latest() == run)) {
                out.add(run);
            }
        }
        return out;
    }

    public Optional<RunSeries> series(String name) {
        return series().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Renames a series: its snapshots' labels follow ({@code new@300s}). */
    public synchronized RunSeries renameSeries(String name, String newName) {
        RunSeries existing = series(name).orElseThrow(() -> new IllegalArgumentException("no series named '" + name + "'"));
        if (!name.equals(newName)) {
            if (series(newName).isPresent() || run(newName).isPresent()) {
                throw new IllegalArgumentException("'" + newName + "' already names a run or a series");
            }
            List<SessionRun> next = new ArrayList<>(runs);
            for (int i = 0; i < next.size(); i++) {
                SeriesPoint point = next.get(i).seriesPoint();
                if (point != null && point.series().equals(name)) {
                    SeriesPoint renamed = new SeriesPoint(newName, point.seconds());
                    if (run(renamed.label()).isPresent()) {
                        throw new IllegalArgumentException("a run named '" + renamed.label() + "' is already loaded");
                    }
                    next.set(i, next.get(i).inSeries(renamed.label(), renamed));
                }
            }
            runs = List.copyOf(next);
        }
        return series(newName).orElse(existing);
    }

    /** Removes every snapshot of a series. */
    public synchronized void removeSeries(String name) {
        List<SessionRun> next = new ArrayList<>(runs);
        if (!next.removeIf(r -> r.seriesPoint() != null && r.seriesPoint().series().equals(name))) {
            throw new IllegalArgumentException("no series named '" + name + "'");
        }
        runs = List.copyOf(next);
    }

    public synchronized void removeRun(String label) {
        List<SessionRun> next = new ArrayList<>(runs);
        if (!next.removeIf(r -> r.label().equals(label))) {
            throw new IllegalArgumentException("no run named '" + label + "'");
        }
        runs = List.copyOf(next);
    }

    public synchronized SessionRun renameRun(String label, String newLabel) {
        if (newLabel == null || newLabel.isBlank()) {
            throw new IllegalArgumentException("a run needs a label");
        }
        if (!label.equals(newLabel) && (run(newLabel).isPresent() || series(newLabel).isPresent())) {
            throw new IllegalArgumentException("a run named '" + newLabel + "' is already loaded");
        }
        if (run(label).map(r -> r.seriesPoint() != null).orElse(false)) {
            throw new IllegalArgumentException("'" + label + "' is a snapshot of a series: rename the series instead");
        }
        return replace(label, existing -> existing.withLabel(newLabel));
    }

    public synchronized SessionRun recolourRun(String label, String colour) {
        if (colour == null || !colour.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("colour must be #rrggbb, not '" + colour + "'");
        }
        return replace(label, existing -> existing.withColour(colour));
    }

    /** Says where a run's remote coverage came from ("USB bus 1", "common 0x42", "local task"); null = unknown. */
    public synchronized SessionRun setRemoteSource(String label, String remoteSource) {
        return replace(label, existing -> existing.withRemoteSource(remoteSource));
    }

    private SessionRun replace(String label, java.util.function.UnaryOperator<SessionRun> change) {
        List<SessionRun> next = new ArrayList<>(runs);
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).label().equals(label)) {
                SessionRun changed = change.apply(next.get(i));
                next.set(i, changed);
                runs = List.copyOf(next);
                return changed;
            }
        }
        throw new IllegalArgumentException("no run named '" + label + "'");
    }

    /**
     * Coverage of one run; a CMP run's is over the comparison layout: a line is covered when every
     * comparison site on it was reached, and a line without comparison sites is no line of it.
     */
    public Coverage coverage(SessionRun run) {
        if (run.comparisons() != null) {
            PointCoverage reached = run.comparisons().reached();
            return Coverage.compute(comparisonLayout(), reached, List.of(reached));
        }
        return Coverage.compute(layout, run.points(), List.of(run.points()), !run.isLocal(),
                sectionsRan(run.points(), List.of(run)));
    }

    /** True when every run is a CMP run resolved on comparison sites (and there is one): they compose on sites. */
    private static boolean allComparisons(List<SessionRun> runs) {
        return !runs.isEmpty() && runs.stream().allMatch(r -> r.comparisons() != null);
    }

    /**
     * Coverage of the union of the given runs (pass {@link #runs()} for everything loaded); CMP runs alone
     * unite on comparison sites, mixed with PC runs they add no points.
     */
    public Coverage coverage(List<SessionRun> union) {
        if (allComparisons(union)) {
            PointCoverage reached = PointCoverage.empty(index.comparisonSites().pointCount());
            List<PointCoverage> contributors = new ArrayList<>();
            for (SessionRun run : union) {
                reached = reached.union(run.comparisons().reached());
                contributors.add(run.comparisons().reached());
            }
            return Coverage.compute(comparisonLayout(), reached, contributors);
        }
        PointCoverage points = PointCoverage.empty(index.pointCount());
        List<PointCoverage> contributors = new ArrayList<>();
        for (SessionRun run : union) {
            points = points.union(run.points());
            contributors.add(run.points());
        }
        return Coverage.compute(layout, points, contributors, anyRemote(union), sectionsRan(points, union));
    }

    /**
     * Coverage of a set expression over the runs ({@code "A | B"}, {@code "'usb-storage' - 'usb-keyboard'"}):
     * names are run labels or letter names by position. Runs compose on their resolved points, not raw
     * PCs, so a kcov dump and a syzkaller rawcover file of the same kernel compose correctly.
     *
     * @throws ExpressionException naming the column of a syntax error or an unknown run
     */
    public Coverage coverage(String expression) {
        return coverage(ExpressionParser.parse(expression));
    }

    /** {@link #coverage(String)} of an expression already parsed (a command that checked it before loading). */
    public Coverage coverage(SetExpression parsed) {
        RunNames<SessionRun> names = runNames();
        List<SessionRun> used = runsIn(parsed, names);
        if (allComparisons(used)) {
            PointCoverage reached = names.evaluate(parsed, r -> r.comparisons().reached(), PointCoverage.OPERATIONS);
            List<PointCoverage> contributors = new ArrayList<>();
            for (SessionRun run : used) {
                contributors.add(run.comparisons().reached());
            }
            return Coverage.compute(comparisonLayout(), reached, contributors);
        }
        PointCoverage points = names.evaluate(parsed, SessionRun::points, PointCoverage.OPERATIONS);
        return coverage(points, used);
    }

    /** The runs an expression names, in session order of first mention. */
    public List<SessionRun> runsIn(String expression) {
        return runsIn(ExpressionParser.parse(expression), runNames());
    }

    private static List<SessionRun> runsIn(SetExpression parsed, RunNames<SessionRun> names) {
        Set<SessionRun> used = new LinkedHashSet<>();
        parsed.evaluate(name -> {
            used.add(names.resolve(name));
            return null;
        }, SetOperations.IGNORE);
        return new ArrayList<>(used);
    }

    /** Checks an expression against the loaded runs without computing it (live validation). */
    public void validate(String expression) {
        runNames().check(ExpressionParser.parse(expression));
    }

    /** Runs by label, and by letter name (A, B, …) in session order; a series' name means its latest snapshot. */
    private RunNames<SessionRun> runNames() {
        List<SessionRun> current = runs;
        RunNames<SessionRun> names = RunNames.of(current.stream().map(SessionRun::label).toList(), current);
        for (RunSeries series : series()) {
            names.alias(series.name(), current.indexOf(series.latest()));
        }
        return names;
    }

    /** Coverage of a composed point set; {@code contributors} feed the per-line run counts. */
    public Coverage coverage(PointCoverage points, List<SessionRun> contributors) {
        List<PointCoverage> sets = new ArrayList<>();
        for (SessionRun run : contributors) {
            sets.add(run.points());
        }
        return Coverage.compute(layout, points, sets, anyRemote(contributors), sectionsRan(points, contributors));
    }

    /**
     * Functions whose remote section ran for the coverage {@code points}: for each remote run that contributes a
     * hit point to it, the one function that could have collected it ({@link RemoteSections#soleOpenerCollectedBy}).
     */
    private int[] sectionsRan(PointCoverage points, List<SessionRun> contributors) {
        IntList ran = new IntList(2);
        for (SessionRun run : contributors) {
            if (run.isLocal()) {
                continue;
            }
            int opener = layout.remoteSections().soleOpenerCollectedBy(run.remoteSource());
            if (opener >= 0 && sharesAHit(points, run.points())) {
                ran.add(opener);
            }
        }
        return ran.toArray();
    }

    private static boolean sharesAHit(PointCoverage a, PointCoverage b) {
        for (int p = b.nextHit(0); p >= 0; p = b.nextHit(p + 1)) {
            if (a.isHit(p)) {
                return true;
            }
        }
        return false;
    }

    /** Lines outside remote sections were not collected unless every run was a local task's. */
    private static boolean anyRemote(List<SessionRun> runs) {
        return runs.stream().anyMatch(run -> !run.isLocal());
    }

    /** The runs (in session order) that hit at least one point of a line: what a hover lists. */
    public List<SessionRun> runsHittingLine(int line) {
        int[] linePoints = layout.pointsOfLine(line);
        List<SessionRun> out = new ArrayList<>();
        for (SessionRun run : runs) {
            for (int p : linePoints) {
                if (run.points().isHit(p)) {
                    out.add(run);
                    break;
                }
            }
        }
        return out;
    }

    /** Diff of baseline A against current B. */
    public RunDiff diff(Coverage baseline, Coverage current) {
        return diff("the baseline", baseline, "the current run", current);
    }

    /**
     * Diff of baseline A against current B, named as the user wrote them. Both are coverage of one kind: PC runs'
     * coverage points, or CMP runs' comparison sites ({@link #coverage(SessionRun)}); two kinds have no common
     * lines to compare, and the error says which side is which.
     */
    public RunDiff diff(String baselineName, Coverage baseline, String currentName, Coverage current) {
        if (baseline.layout() != current.layout()) {
            throw new IllegalArgumentException("cannot diff '" + baselineName + "' against '" + currentName
                    + "': the first is " + kind(baseline) + ", the second " + kind(current)
                    + "; diff two PC runs or two CMP runs");
        }
        return RunDiff.of(Objects.requireNonNull(baseline), Objects.requireNonNull(current));
    }

    private String kind(Coverage coverage) {
        return coverage.layout() == layout ? "PC coverage (TRACE_PC, on coverage points)"
                : "comparisons (TRACE_CMP, on comparison sites)";
    }
}
