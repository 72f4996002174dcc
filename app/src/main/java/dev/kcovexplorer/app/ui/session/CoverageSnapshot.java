package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.model.Aggregate;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.DiffCategory;
import dev.kcovexplorer.app.model.Figures;
import dev.kcovexplorer.app.model.LineState;
import dev.kcovexplorer.app.model.PointCoverage;
import dev.kcovexplorer.app.model.RemoteSections;
import dev.kcovexplorer.app.model.RunDiff;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.ui.comparisons.ComparisonSource;
import dev.kcovexplorer.app.ui.compose.Composition;
import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.editor.LineDetails;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.editor.RemoteCallsInText;
import dev.kcovexplorer.app.ui.editor.RemoteLine;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.functions.MostCoveredFirst;
import dev.kcovexplorer.app.ui.task.Progress;
import dev.kcovexplorer.app.ui.tree.FileFigures;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One composition of a session, computed off the FX thread: the model's {@link Coverage} (and in diff
 * mode the {@link RunDiff} of A and B) turned into what the views show — file and directory figures,
 * function rows, status figures, and per-file editor content.
 */
public final class CoverageSnapshot {
    private final Session session;
    private final Composition composition;
    private final Coverage coverage;
    private final RunDiff diff;
    /** The TRACE_CMP runs of the composition on their comparison sites, or null when it shows none. */
    private final ComparisonSnapshot comparisons;
    private final List<FileFigures> files;
    private final Map<String, FileFigures> directories;
    private final MostCoveredFirst functions;
    private final String figures;
    private final Map<String, Integer> uniquePoints;
    private final List<SessionRun> visible;

    /** Computes every list the views show here, off the FX thread, so applying it there is only assignment. */
    private CoverageSnapshot(Session session, Composition composition, Coverage coverage, RunDiff diff,
                             ComparisonSnapshot comparisons, List<SessionRun> visible) {
        this.session = session;
        this.visible = List.copyOf(visible);
        this.composition = composition;
        this.coverage = coverage;
        this.diff = diff;
        this.comparisons = comparisons;
        this.files = computeFiles();
        this.directories = computeDirectories();
        this.functions = computeFunctions();
        this.figures = computeFigures();
        this.uniquePoints = UniqueCoverage.points(visible);
    }

    /** Computes the composition over {@code visible} runs (blank expression = their union). */
    public static CoverageSnapshot compute(Session session, List<SessionRun> visible, Composition composition,
                                           Progress progress) {
        progress.message("computing line states");
        if (composition.diff()) {
            Coverage a = RunExpressions.coverage(session, visible, composition.baseline());
            progress.checkCancelled();
            Coverage b = RunExpressions.coverage(session, visible, composition.current());
            progress.checkCancelled();
            return new CoverageSnapshot(session, composition, b, session.diff(composition.baseline(), a, composition.current(), b),
                    ComparisonSnapshot.of(session, visible, composition), visible);
        }
        Coverage coverage = RunExpressions.coverage(session, visible, composition.expression());
        progress.checkCancelled();
        return new CoverageSnapshot(session, composition, coverage, null,
                ComparisonSnapshot.of(session, visible, composition), visible);
    }

    public Session session() {
        return session;
    }

    /** Whether this is what {@link #compute} would give for these inputs. */
    public boolean isFor(Session other, List<SessionRun> visibleRuns, Composition shown) {
        return other == session && visible.equals(visibleRuns) && composition.showsSameAs(shown);
    }

    public Composition composition() {
        return composition;
    }

    public Coverage coverage() {
        return coverage;
    }

    /** The diff, or null outside diff mode. */
    public RunDiff diff() {
        return diff;
    }

    public boolean isDiff() {
        return diff != null;
    }

    /** What the Comparisons tool window lists: the composition's TRACE_CMP runs on their sites. */
    public ComparisonSource comparisons() {
        return comparisons != null ? comparisons : ComparisonSource.NONE;
    }

    /**
     * Per visible run (by label), the points it hit that no other visible run hit: syzkaller's "unique coverage
     * per manager". Empty with fewer than two visible runs.
     */
    public Map<String, Integer> uniquePoints() {
        return uniquePoints;
    }

    /** How many runs the heat counts in: the N of "k of N". */
    public int heatOf() {
        return coverage.contributorCount();
    }

    /** Every source file with points: lines covered (at least partly) of coverable, points, diff deltas. */
    public List<FileFigures> files() {
        return files;
    }

    /** The model's own directory figures (a point inlined into several files counts once per directory). */
    public Map<String, FileFigures> directories() {
        return directories;
    }

    public MostCoveredFirst functions() {
        return functions;
    }

    /** The status bar's summary: "1,204 of 9,311 lines (12.9%) · 3,021 of 18,337 points". */
    public String figures() {
        return figures;
    }

    private List<FileFigures> computeFiles() {
        CoverageLayout layout = coverage.layout();
        List<FileFigures> files = new ArrayList<>(layout.fileCount());
        for (int f = 0; f < layout.fileCount(); f++) {
            Aggregate a = coverage.file(f);
            files.add(new FileFigures(layout.filePath(f), a.coveredLines(), a.lines(), a.coveredPoints(), a.points(),
                    diff == null ? 0 : diff.fileGained(f), diff == null ? 0 : diff.fileLost(f), coverage.fileRuns(f)));
        }
        return List.copyOf(files);
    }

    private Map<String, FileFigures> computeDirectories() {
        CoverageLayout layout = coverage.layout();
        Map<String, FileFigures> directories = new HashMap<>(layout.directoryCount() * 2);
        for (int d = 0; d < layout.directoryCount(); d++) {
            Aggregate a = coverage.directory(d);
            String path = layout.directoryPath(d);
            directories.put(path, new FileFigures(path, a.coveredLines(), a.lines(), a.coveredPoints(), a.points(),
                    diff == null ? 0 : diff.directoryGained(d), diff == null ? 0 : diff.directoryLost(d),
                    coverage.directoryRuns(d)));
        }
        return Map.copyOf(directories);
    }

    private MostCoveredFirst computeFunctions() {
        CoverageLayout layout = coverage.layout();
        String[] images = session.functionImages(layout);
        List<FunctionRow> rows = new ArrayList<>(layout.functionCount());
        for (int f = 0; f < layout.functionCount(); f++) {
            Aggregate a = coverage.function(f);
            rows.add(new FunctionRow(layout.functionName(f), layout.filePath(layout.functionFile(f)),
                    layout.functionFirstLine(f), a.coveredPoints(), a.points(), coverage.functionHits(f),
                    diff == null ? 0 : diff.functionGained(f), diff == null ? 0 : diff.functionLost(f), images[f]));
        }
        // In the table's default order here, on the worker: the FX thread shows them as they are.
        return MostCoveredFirst.sort(rows);
    }

    private String computeFigures() {
        Aggregate total = coverage.total();
        String lines = Figures.count(total.coveredLines()) + " of " + Figures.count(total.lines()) + " lines ("
                + Figures.percent(total.coveredLines(), total.lines()) + ")";
        String points = Figures.count(total.coveredPoints()) + " of " + Figures.count(total.points()) + " points";
        if (diff != null) {
            return "B: " + lines + " \u00B7 " + points + " \u00B7 +" + Figures.count(diff.gainedPoints()) + " / \u2212"
                    + Figures.count(diff.lostPoints()) + " points vs A";
        }
        return lines + " \u00B7 " + points;
    }

    /** The mark of every line of a file, indexed by line number - 1, for {@code lineCount} source lines. */
    public LineMark[] marks(String path, int lineCount) {
        CoverageLayout layout = coverage.layout();
        int file = layout.findFile(path);
        int size = lineCount;
        if (file >= 0 && layout.fileLineEnd(file) > layout.fileLineStart(file)) {
            size = Math.max(size, layout.lineNumber(layout.fileLineEnd(file) - 1));
        }
        LineMark[] marks = new LineMark[size];
        java.util.Arrays.fill(marks, LineMark.NOT_INSTRUMENTED);
        if (file < 0) {
            return marks;
        }
        for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
            marks[layout.lineNumber(line) - 1] = diff != null ? mark(diff.lineCategory(line)) : mark(coverage.lineState(line));
        }
        return marks;
    }

    /** In how many of the composition's runs each line of a file was hit, indexed by line number - 1. */
    public int[] heat(String path, int lineCount) {
        CoverageLayout layout = coverage.layout();
        int file = layout.findFile(path);
        int size = lineCount;
        if (file >= 0 && layout.fileLineEnd(file) > layout.fileLineStart(file)) {
            size = Math.max(size, layout.lineNumber(layout.fileLineEnd(file) - 1));
        }
        int[] runs = new int[size];
        if (file >= 0) {
            for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
                runs[layout.lineNumber(line) - 1] = coverage.lineRuns(line);
            }
        }
        return runs;
    }

    /** Editor content for a file: its lines, marks, hit counts (of each line's own points) and hover details. */
    public EditorContent editor(String path, CachedSources sources, Progress progress) throws IOException {
        return editor(path, sources, false, progress);
    }

    /**
     * As {@link #editor(String, CachedSources, Progress)}; with {@code heat} its lines are shaded by how many of
     * the composition's runs hit them and the gutter says "k/N".
     */
    public EditorContent editor(String path, CachedSources sources, boolean heat, Progress progress)
            throws IOException {
        Optional<String[]> text = sources.lines(path, progress);
        progress.checkCancelled();
        if (text.isEmpty()) {
            String why = sources.banner(path);
            return EditorContent.unavailable(path, why != null ? why : "No source for " + path + ".");
        }
        String[] lines = text.get();
        LineMark[] marks = marks(path, lines.length);
        int[] hits = new int[Math.max(lines.length, marks.length)];
        CoverageLayout layout = coverage.layout();
        int file = layout.findFile(path);
        if (file >= 0) {
            for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
                hits[layout.lineNumber(line) - 1] = (int) Math.min(Integer.MAX_VALUE, coverage.lineOwnHits(line));
            }
        }
        String banner = sources.banner(path);
        if (marks.length > lines.length) {
            banner = (banner == null ? "" : banner + " ") + "The coverage names lines past the end of this file ("
                    + marks.length + " > " + lines.length + "): it is not the file the kernel was built from.";
        }
        RemoteSections sections = layout.remoteSections();
        if (!sections.known() && !RemoteCallsInText.scan(lines).isEmpty()) {
            banner = (banner == null ? "" : banner + " ") + "This session's kernel index predates remote sections:"
                    + " \u25B6/\u25A0 are read from the source text and lines outside the sections are not told"
                    + " apart. Re-create the session to see them.";
        }
        EditorContent.Heat lineHeat = heat && diff == null ? new EditorContent.Heat(heat(path, lines.length), heatOf())
                : null;
        return EditorContent.build(path, lines, marks, hits, details(file), banner,
                sections.known() ? remoteLines(sections.markers(path)) : null,
                comparisons != null ? comparisons.marks(path) : Map.of(), lineHeat);
    }

    /** The ▶/■ lines of a file with their tooltips: the wrapper, whose section, its handle, the runs collecting it. */
    private Map<Integer, RemoteLine> remoteLines(List<RemoteSections.Marker> markers) {
        Map<Integer, RemoteLine> out = new HashMap<>();
        for (RemoteSections.Marker m : markers) {
            List<String> runs = new ArrayList<>();
            for (SessionRun run : session.runs()) {
                if (m.subsystem().collectedBy(run.remoteSource())) {
                    runs.add(run.label() + " (" + run.remoteSource() + ")");
                }
            }
            String tip = (m.start() ? "\u25B6 " : "\u25A0 ") + m.wrapper() + "() " + (m.start() ? "opens" : "closes")
                    + " the remote coverage section of " + m.function() + "()\ncollected for a "
                    + m.subsystem().description() + "\n" + (runs.isEmpty() ? "no run here collects such a handle"
                    : "runs collecting it: " + String.join(", ", runs));
            out.merge(m.line(), new RemoteLine(m.start(), tip),
                    (a, b) -> new RemoteLine(a.start() || b.start(), a.tip() + "\n\n" + b.tip()));
        }
        return out;
    }

    private LineDetails details(int file) {
        if (file < 0) {
            return LineDetails.NONE;
        }
        return lineNumber -> describe(file, lineNumber);
    }

    /** Points listed in a hover, and frames per chain: beyond them the hover would not fit on a screen. */
    private static final int HOVER_POINTS = 6;
    private static final int HOVER_FRAMES = 3;
    private static final int HOVER_CALLEES = 5;

    /**
     * The hover text: the line's own points (a call line's inlined callee is reported apart, so its points do
     * not inflate the line's figures), each inlined callee's figures, the points with their inline chains,
     * then the runs that hit it with their hits. Bounded so it fits on a screen.
     */
    String describe(int file, int lineNumber) {
        CoverageLayout layout = coverage.layout();
        int line = layout.findLine(file, lineNumber);
        if (line < 0) {
            return "";
        }
        // A CMP composition's layout is the comparison sites': its points are sites, of their own index.
        KernelIndex index = layout.index();
        boolean sites = layout != session.layout();
        PointCoverage points = coverage.points();
        StringBuilder text = new StringBuilder();
        int[] linePoints = layout.pointsOfLine(line);
        int own = layout.lineOwnPointCount(line);
        String state = diff != null ? diff.lineCategory(line).name() : coverage.lineState(line).label();
        text.append("line ").append(lineNumber).append(" \u2014 ").append(state).append(" \u2014 ");
        if (own > 0) {
            text.append(coverage.lineOwnHitPoints(line)).append(" of ").append(own)
                    .append(sites ? " comparison sites reached, " : " points hit, ")
                    .append(Figures.count(coverage.lineOwnHits(line))).append(sites ? " records" : " hits");
        } else {
            text.append("no point of its own");
        }
        Map<String, long[]> callees = inlinedCallees(layout, line, linePoints);
        int listed = 0;
        for (Map.Entry<String, long[]> callee : callees.entrySet()) {
            if (listed++ == HOVER_CALLEES) {
                text.append("\n\u2026 ").append(callees.size() - HOVER_CALLEES).append(" more inlined callees");
                break;
            }
            long[] figures = callee.getValue();
            text.append("\ninlined ").append(callee.getKey()).append("(): ").append(figures[1]).append(" of ")
                    .append(figures[0]).append(" points hit, ").append(Figures.count(figures[2])).append(" hits");
        }
        int shown = 0;
        for (int p : ownFirst(layout, line, linePoints)) {
            if (shown++ == HOVER_POINTS) {
                text.append("\n  \u2026 ").append(linePoints.length - HOVER_POINTS).append(" more points");
                break;
            }
            text.append(String.format(Locale.ROOT, "%n  0x%x  %s", index.pointAddress(p),
                    points.isHit(p) ? "hit " + points.hits(p) + "\u00D7"
                            : points.isCandidate(p) ? "candidate (tail call)" : "not hit"));
            if (!sites && index.pointKind(p) == KernelIndex.TAIL_CALL) {
                text.append(", tail call");
            }
            int end = Math.min(index.chainEnd(p), index.chainStart(p) + HOVER_FRAMES);
            for (int frame = index.chainStart(p); frame < end; frame++) {
                text.append(frame == index.chainStart(p) ? "\n      " : "\n      \u2190 inlined into ")
                        .append(index.frameFunction(frame)).append("  ").append(shortFile(index.frameFile(frame)))
                        .append(':').append(index.frameLine(frame));
            }
            if (index.chainEnd(p) > end) {
                text.append("\n      \u2190 \u2026 ").append(index.chainEnd(p) - end).append(" more frames");
            }
        }
        List<String> runs = new ArrayList<>();
        for (SessionRun run : sites ? runsReaching(linePoints) : session.runsHittingLine(line)) {
            runs.add(run.label() + " " + runHits(layout, line, linePoints, sites ? run.comparisons().reached()
                    : run.points(), sites));
        }
        text.append("\nruns: ").append(runs.isEmpty() ? "none" : String.join(", ", runs));
        return text.toString();
    }

    /** Per inlined callee (the function a point was inlined from at this line): {points, hit points, hits}. */
    private Map<String, long[]> inlinedCallees(CoverageLayout layout, int line, int[] linePoints) {
        PointCoverage points = coverage.points();
        Map<String, long[]> out = new java.util.LinkedHashMap<>();
        for (int p : linePoints) {
            if (layout.pointOwnLine(p) == line) {
                continue;
            }
            String callee = calleeAt(layout, line, p);
            long[] figures = out.computeIfAbsent(callee, k -> new long[3]);
            figures[0]++;
            if (points.isHit(p)) {
                figures[1]++;
                figures[2] += points.hits(p);
            }
        }
        return out;
    }

    /** The frame just inside the one at {@code line} in the point's chain: the callee inlined at that line. */
    private String calleeAt(CoverageLayout layout, int line, int point) {
        KernelIndex index = layout.index();
        String path = layout.filePath(layout.lineFile(line));
        int number = layout.lineNumber(line);
        for (int frame = index.chainStart(point) + 1; frame < index.chainEnd(point); frame++) {
            if (index.frameLine(frame) == number && layout.paths().toRelative(index.frameFile(frame)).equals(path)) {
                return index.frameFunction(frame - 1);
            }
        }
        return index.frameFunction(index.chainStart(point));
    }

    private static List<Integer> ownFirst(CoverageLayout layout, int line, int[] linePoints) {
        List<Integer> out = new ArrayList<>(linePoints.length);
        for (int p : linePoints) {
            if (layout.pointOwnLine(p) == line) {
                out.add(p);
            }
        }
        for (int p : linePoints) {
            if (layout.pointOwnLine(p) != line) {
                out.add(p);
            }
        }
        return out;
    }

    /** The CMP runs that reached at least one of {@code lineSites}. */
    private List<SessionRun> runsReaching(int[] lineSites) {
        List<SessionRun> out = new ArrayList<>();
        for (SessionRun run : session.runs()) {
            if (run.comparisons() != null && java.util.Arrays.stream(lineSites).anyMatch(run.comparisons()::isReached)) {
                out.add(run);
            }
        }
        return out;
    }

    /**
     * "3 hits" of the line's own points in one run, "(+12 inlined)" for its inlined callees'; a CMP run's
     * points are comparison sites and its hits records.
     */
    private static String runHits(CoverageLayout layout, int line, int[] linePoints, PointCoverage points,
                                  boolean sites) {
        long own = 0;
        long inlined = 0;
        for (int p : linePoints) {
            long hits = points.isHit(p) ? points.hits(p) : 0;
            if (layout.pointOwnLine(p) == line) {
                own += hits;
            } else {
                inlined += hits;
            }
        }
        String text = Figures.count(own) + (sites ? (own == 1 ? " record" : " records") : own == 1 ? " hit" : " hits");
        return inlined > 0 ? text + " (+" + Figures.count(inlined) + " inlined)" : text;
    }

    private static String shortFile(String file) {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    static LineMark mark(LineState state) {
        return switch (state) {
            case COVERED -> LineMark.COVERED;
            case PARTIAL -> LineMark.PARTIAL;
            case UNCOVERED -> LineMark.UNCOVERED;
            case NOT_EXECUTED -> LineMark.NOT_EXECUTED;
            case NOT_INSTRUMENTED -> LineMark.NOT_INSTRUMENTED;
            case EXCLUDED -> LineMark.EXCLUDED;
            case OUTSIDE_REMOTE -> LineMark.OUTSIDE_REMOTE;
        };
    }

    static LineMark mark(DiffCategory category) {
        return switch (category) {
            case CBC -> LineMark.CBC;
            case GBC -> LineMark.GBC;
            case LBC -> LineMark.LBC;
            case UBC -> LineMark.UBC;
        };
    }
}
