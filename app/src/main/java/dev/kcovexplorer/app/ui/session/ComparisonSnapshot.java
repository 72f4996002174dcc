package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.model.ComparisonCoverage;
import dev.kcovexplorer.app.model.ComparisonSite;
import dev.kcovexplorer.app.model.ComparisonSites;
import dev.kcovexplorer.app.model.Figures;
import dev.kcovexplorer.app.model.FileLines;
import dev.kcovexplorer.app.model.GuardedLines;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.cmp.ComparisonConstant;
import dev.kcovexplorer.app.model.cmp.ComparisonPair;
import dev.kcovexplorer.app.model.cmp.OperandText;
import dev.kcovexplorer.app.ui.comparisons.ComparisonRow;
import dev.kcovexplorer.app.ui.comparisons.ComparisonSource;
import dev.kcovexplorer.app.ui.compose.Composition;
import dev.kcovexplorer.app.ui.editor.ComparisonMark;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The TRACE_CMP runs of a composition on their comparison sites: the rows of the Comparisons tool
 * window, the gutter mark and hover text of every line with comparison sites, and in diff mode the
 * sites gained and lost in B and the operand pairs new in B. A constant the variable operand never
 * equalled is connected to the lines after the site that the session's PC runs left uncovered.
 * Immutable; built and queried off the FX thread.
 */
public final class ComparisonSnapshot implements ComparisonSource {
    private static final int VALUES_IN_ROW = 3;
    private static final int VALUES_IN_HOVER = 8;
    private static final int SITES_IN_HOVER = 6;

    private final KernelIndex sites;
    private final PathMapper paths;
    /** The CMP runs shown; in diff mode B's. */
    private final List<SessionRun> runs;
    /** Diff mode: A's CMP runs; else empty. */
    private final List<SessionRun> baseline;
    private final boolean diff;
    /** Lines after a comparison left uncovered by the session's PC runs, or null when it has none. */
    private final GuardedLines guarded;
    private final String pcRuns;
    private volatile Map<String, int[]> sitesByFile;

    private ComparisonSnapshot(Session session, List<SessionRun> runs, List<SessionRun> baseline, boolean diff,
                               GuardedLines guarded, String pcRuns) {
        this.sites = session.index().comparisonSites();
        // The comparison layout's own: it is built with the session layout's paths.
        this.paths = session.layout().paths();
        this.runs = runs;
        this.baseline = baseline;
        this.diff = diff;
        this.guarded = guarded;
        this.pcRuns = pcRuns;
    }

    /** The CMP runs of {@code composition} over the visible runs, or null when it shows none. */
    static ComparisonSnapshot of(Session session, List<SessionRun> visible, Composition composition) {
        if (!session.index().hasComparisonSites()) {
            return null;
        }
        List<SessionRun> current = cmpRuns(session, visible, composition.diff() ? composition.current()
                : composition.expression());
        List<SessionRun> baseline = composition.diff() ? cmpRuns(session, visible, composition.baseline()) : List.of();
        if (current.isEmpty() && baseline.isEmpty()) {
            return null;
        }
        List<SessionRun> pc = session.runs().stream().filter(r -> r.comparisons() == null && "pc".equals(r.mode()))
                .toList();
        GuardedLines guarded = pc.isEmpty() ? null
                : GuardedLines.of(session.coverage(pc), session.comparisonSiteLines());
        return new ComparisonSnapshot(session, current, baseline, composition.diff(), guarded,
                pc.stream().map(SessionRun::label).collect(Collectors.joining(", ")));
    }

    private static List<SessionRun> cmpRuns(Session session, List<SessionRun> visible, String expression) {
        List<SessionRun> named = expression == null || expression.isBlank() ? visible : session.runsIn(expression);
        return named.stream().filter(r -> r.comparisons() != null && visible.contains(r)).toList();
    }

    @Override
    public boolean isDiff() {
        return diff;
    }

    @Override
    public String summary() {
        List<String> parts = new ArrayList<>();
        for (SessionRun run : diff ? concat(baseline, runs) : runs) {
            ComparisonCoverage c = run.comparisons();
            parts.add(String.format(Locale.ROOT, "%s%s: %s of %s sites reached", diff && baseline.contains(run)
                    ? "A " : diff ? "B " : "", run.label(), Figures.count(c.reachedCount()), Figures.count(c.siteCount())));
        }
        return String.join(" \u00B7 ", parts);
    }

    // ---- rows -----------------------------------------------------------------------------

    @Override
    public List<ComparisonRow> rows(String path) {
        int[] ofFile = path == null ? null : sitesByFile().getOrDefault(path, new int[0]);
        List<ComparisonRow> out = new ArrayList<>();
        if (!diff) {
            for (SessionRun run : runs) {
                ComparisonCoverage c = run.comparisons();
                if (ofFile == null) {
                    for (ComparisonSite site : ComparisonSites.reached(c, paths)) {
                        out.add(row(run, site, ""));
                    }
                } else {
                    for (int s : ofFile) {
                        out.add(row(run, ComparisonSites.of(c, paths, s), ""));
                    }
                }
            }
            return out;
        }
        if (ofFile == null) {
            for (int s = 0; s < sites.pointCount(); s++) {
                if (reachedBy(baseline, s) || reachedBy(runs, s)) {
                    out.add(diffRow(s));
                }
            }
        } else {
            for (int s : ofFile) {
                out.add(diffRow(s));
            }
        }
        return out;
    }

    private ComparisonRow row(SessionRun run, ComparisonSite site, String change) {
        return new ComparisonRow(run.label(), site, values(site), note(site), change);
    }

    private ComparisonRow diffRow(int s) {
        boolean inA = reachedBy(baseline, s);
        boolean inB = reachedBy(runs, s);
        SessionRun shown = busiest(inB ? runs : baseline, s);
        ComparisonSite site = ComparisonSites.of(shown.comparisons(), paths, s);
        String change = inA && inB ? newValuesText(s) : inB ? "gained" : inA ? "lost" : "";
        return row(shown, site, change);
    }

    /** "+N new values" (operand pairs B kept at the site that A did not see), or "". */
    private String newValuesText(int s) {
        int n = newInB(s).size();
        return n == 0 ? "" : "+" + n + " new value" + (n == 1 ? "" : "s") + (baselineKeptAll(s) ? "" : " (A kept only its top pairs)");
    }

    private List<ComparisonPair> newInB(int s) {
        Set<List<Long>> seen = new HashSet<>();
        for (SessionRun run : baseline) {
            for (ComparisonPair p : run.comparisons().pairs(s)) {
                seen.add(List.of(p.arg1(), p.arg2()));
            }
        }
        Map<List<Long>, Long> fresh = new HashMap<>();
        for (SessionRun run : runs) {
            for (ComparisonPair p : run.comparisons().pairs(s)) {
                if (!seen.contains(List.of(p.arg1(), p.arg2()))) {
                    fresh.merge(List.of(p.arg1(), p.arg2()), p.count(), Long::sum);
                }
            }
        }
        List<ComparisonPair> out = new ArrayList<>();
        fresh.forEach((k, count) -> out.add(new ComparisonPair(k.get(0), k.get(1), count)));
        out.sort((a, b) -> Long.compare(b.count(), a.count()));
        return out;
    }

    private boolean baselineKeptAll(int s) {
        return baseline.stream().allMatch(r -> r.comparisons().morePairs(s) == 0);
    }

    private static boolean reachedBy(List<SessionRun> side, int s) {
        return side.stream().anyMatch(r -> r.comparisons().isReached(s));
    }

    /** The run of {@code side} with the most records at the site (the first when none reached it). */
    private static SessionRun busiest(List<SessionRun> side, int s) {
        SessionRun best = side.get(0);
        for (SessionRun run : side) {
            if (run.comparisons().records(s) > best.comparisons().records(s)) {
                best = run;
            }
        }
        return best;
    }

    private static String values(ComparisonSite site) {
        if (!site.values()) {
            return site.reached() ? "(operand values not kept)" : "";
        }
        List<ComparisonPair> pairs = site.pairs();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(VALUES_IN_ROW, pairs.size()); i++) {
            ComparisonPair p = pairs.get(i);
            text.append(i == 0 ? "" : ", ").append(OperandText.hex(p.arg1(), site.size())).append('/')
                    .append(OperandText.hex(p.arg2(), site.size())).append(" \u00D7").append(p.count());
        }
        int more = pairs.size() - Math.min(VALUES_IN_ROW, pairs.size()) + site.morePairs();
        return more > 0 ? text + ", \u2026 " + more + " more" : text.toString();
    }

    /** "never equal to 0x0409 · line 29 after it uncovered in pc", or "". */
    private String note(ComparisonSite site) {
        List<ComparisonConstant> missed = site.missedConstants();
        if (missed.isEmpty()) {
            return "";
        }
        String text = "never equal to " + missed.stream().limit(4).map(c -> OperandText.hex(c.value(), site.size()))
                .collect(Collectors.joining(", ")) + (missed.size() > 4 ? ", \u2026" : "");
        String after = uncoveredAfter(site);
        return after == null ? text : text + " \u00B7 " + after;
    }

    /** "lines 29, 31 after it uncovered in the PC runs (pc)", or null. */
    private String uncoveredAfter(ComparisonSite site) {
        if (guarded == null || site.file() == null || site.function() == null) {
            return null;
        }
        int[] lines = guarded.uncoveredAfter(site.file(), site.function(), site.line());
        if (lines.length == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder(lines.length == 1 ? "line " : "lines ");
        for (int i = 0; i < Math.min(4, lines.length); i++) {
            text.append(i == 0 ? "" : ", ").append(lines[i]);
        }
        return text.append(lines.length > 4 ? ", \u2026" : "").append(" after it uncovered in PC runs (")
                .append(pcRuns).append(')').toString();
    }

    // ---- the editor -----------------------------------------------------------------------

    /**
     * The mark and hover text of every line of {@code path} with comparison sites, by line number: the lines and
     * sites of the session's comparison layout, found for this file alone (the whole layout is not needed to open one).
     */
    public Map<Integer, ComparisonMark> marks(String path) {
        FileLines lines = FileLines.of(sites, paths, path);
        Map<Integer, ComparisonMark> out = new HashMap<>();
        for (int line = 0; line < lines.lineCount(); line++) {
            int[] lineSites = lines.pointsOfLine(line);
            out.put(lines.lineNumber(line), new ComparisonMark(kind(lineSites), describe(lineSites)));
        }
        return out;
    }

    private ComparisonMark.Kind kind(int[] lineSites) {
        boolean reached = false;
        boolean missed = false;
        boolean gained = false;
        boolean lost = false;
        for (int s : lineSites) {
            boolean inB = reachedBy(runs, s);
            boolean inA = reachedBy(baseline, s);
            reached |= inB;
            gained |= diff && inB && !inA;
            lost |= diff && inA && !inB;
            for (SessionRun run : runs) {
                missed |= run.comparisons().isReached(s) && run.comparisons().hasMissedConstant(s);
            }
        }
        if (gained) {
            return ComparisonMark.Kind.GAINED;
        }
        if (lost) {
            return ComparisonMark.Kind.LOST;
        }
        return missed ? ComparisonMark.Kind.MISSED_CONSTANT : reached ? ComparisonMark.Kind.REACHED
                : ComparisonMark.Kind.NOT_REACHED;
    }

    /** Per site of the line: what it is, then per run its records, distinct pairs, missed constants and top values. */
    private String describe(int[] lineSites) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (int s : lineSites) {
            if (shown++ == SITES_IN_HOVER) {
                text.append("\n\u2026 ").append(lineSites.length - SITES_IN_HOVER).append(" more comparison sites");
                break;
            }
            if (text.length() > 0) {
                text.append("\n\n");
            }
            ComparisonSite head = ComparisonSites.of(runs.isEmpty() ? baseline.get(0).comparisons()
                    : runs.get(0).comparisons(), paths, s);
            text.append(head.kind().id()).append(' ').append(head.size() == 0 ? "" : head.size() + "-byte")
                    .append(" at 0x").append(Long.toHexString(head.address())).append(head.tailCall() ? " (tail call)" : "");
            text.append("  ").append(head.function() == null ? Symbolizer.UNKNOWN : head.function()).append(", ")
                    .append(head.location());
            if (diff) {
                boolean inA = reachedBy(baseline, s);
                boolean inB = reachedBy(runs, s);
                text.append(inB && !inA ? "\ngained in B" : inA && !inB ? "\nlost in B" : "");
                for (SessionRun run : baseline) {
                    describeRun(text, "A " + run.label(), ComparisonSites.of(run.comparisons(), paths, s));
                }
            }
            for (SessionRun run : runs) {
                describeRun(text, (diff ? "B " : "") + run.label(), ComparisonSites.of(run.comparisons(), paths, s));
            }
            if (diff && reachedBy(baseline, s) && reachedBy(runs, s)) {
                List<ComparisonPair> fresh = newInB(s);
                if (!fresh.isEmpty()) {
                    text.append("\n  new in B:");
                    appendPairs(text, fresh, head.size());
                }
            }
        }
        return text.toString();
    }

    private void describeRun(StringBuilder text, String label, ComparisonSite site) {
        text.append("\n").append(label).append(": ");
        if (!site.reached()) {
            text.append(site.candidate() ? "maybe reached (one of several tail-call candidates)" : "not reached");
            return;
        }
        text.append(Figures.count(site.records())).append(site.records() == 1 ? " record" : " records");
        if (!site.values()) {
            text.append(" (operand values not kept)");
            return;
        }
        text.append(", ").append(site.distinctExact() ? "" : "at most ").append(Figures.count(site.distinct()))
                .append(site.distinct() == 1 ? " distinct pair" : " distinct pairs");
        for (ComparisonConstant c : site.missedConstants()) {
            text.append("\n  never equal to ").append(OperandText.describe(c.value(), site.size())).append(" in this run");
        }
        String after = site.missedConstants().isEmpty() ? null : uncoveredAfter(site);
        if (after != null) {
            text.append("\n  \u2192 ").append(after);
        }
        appendPairs(text, site.pairs(), site.size());
        int more = Math.max(0, site.pairs().size() - VALUES_IN_HOVER) + site.morePairs();
        if (more > 0) {
            text.append("\n  \u2026 ").append(Figures.count(more)).append(" more pairs");
        }
    }

    private static void appendPairs(StringBuilder text, List<ComparisonPair> pairs, int size) {
        for (ComparisonPair p : pairs.subList(0, Math.min(VALUES_IN_HOVER, pairs.size()))) {
            text.append("\n  ").append(OperandText.describe(p.arg1(), size)).append(" vs ")
                    .append(OperandText.describe(p.arg2(), size)).append("  \u00D7").append(Figures.count(p.count()));
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    /** Sites by the relative path of their innermost frame's file, ascending, built on first use. */
    private Map<String, int[]> sitesByFile() {
        Map<String, int[]> built = sitesByFile;
        if (built == null) {
            Map<String, List<Integer>> lists = new HashMap<>();
            for (int s = 0; s < sites.pointCount(); s++) {
                int frame = sites.chainStart(s);
                if (frame < sites.chainEnd(s) && !sites.frameFile(frame).equals(Symbolizer.UNKNOWN)) {
                    lists.computeIfAbsent(paths.toRelative(sites.frameFile(frame)), k -> new ArrayList<>()).add(s);
                }
            }
            built = new HashMap<>(lists.size() * 2);
            for (Map.Entry<String, List<Integer>> e : lists.entrySet()) {
                built.put(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray());
            }
            sitesByFile = built;
        }
        return built;
    }

    private static List<SessionRun> concat(List<SessionRun> a, List<SessionRun> b) {
        List<SessionRun> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
