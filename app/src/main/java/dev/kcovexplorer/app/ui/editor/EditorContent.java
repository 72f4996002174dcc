package dev.kcovexplorer.app.ui.editor;

import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.fxmisc.richtext.model.StyledDocument;

/**
 * Everything one editor tab shows, built off the FX thread: the source lines, each line's mark and hit
 * count, the remote-section lines, the comparison sites, the hover details, a banner (source drift, missing file) and the
 * ready-made styled document. Arrays are indexed by line - 1 and never mutated after construction.
 */
public final class EditorContent {
    /**
     * Heat: in how many of the composition's {@code of} runs each line (by line number - 1) was hit; the lines
     * are shaded by it and the gutter says "k/N".
     */
    public record Heat(int[] runs, int of) {
        /** The shade of a line hit by {@code k} of the runs. */
        public int level(int k) {
            return level(k, of);
        }

        /** The shade of something hit by {@code k} of {@code of} runs: 1 … {@value #LEVELS}, N of N the darkest. */
        public static int level(int k, int of) {
            if (k <= 0 || of <= 0) {
                return 0;
            }
            return (int) Math.ceil((double) LEVELS * Math.min(k, of) / of);
        }

        public static final int LEVELS = 5;
    }

    private final String path;
    private final String[] lines;
    private final LineMark[] marks;
    private final int[] hits;
    private final BitSet remoteLines;
    private final Map<Integer, RemoteLine> remote;
    private final LineDetails details;
    private final Map<Integer, ComparisonMark> comparisons;
    private final String banner;
    private final Heat heat;
    private final int maxHits;
    private final StyledDocument<Collection<String>, String, Collection<String>> document;

    private EditorContent(String path, String[] lines, LineMark[] marks, int[] hits, LineDetails details,
                          String banner, Map<Integer, RemoteLine> remote, Map<Integer, ComparisonMark> comparisons,
                          Heat heat) {
        this.path = path;
        this.lines = lines;
        this.marks = marks;
        this.hits = hits;
        this.remote = remote != null ? Map.copyOf(remote) : fromSourceText(lines);
        this.remoteLines = new BitSet(lines.length);
        this.remote.keySet().forEach(line -> remoteLines.set(line - 1));
        this.details = details;
        this.comparisons = Map.copyOf(comparisons);
        this.banner = banner;
        this.heat = heat;
        // Once here, off the FX thread: the gutter sizes every visible paragraph's hit column by it.
        this.maxHits = java.util.Arrays.stream(hits, 0, lines.length).max().orElse(0);
        this.document = CoverageDocument.build(lines, marks, remoteLines, heat);
    }

    /** Builds the content with ▶/■ found in the source text (no kernel index says where sections are). */
    public static EditorContent build(String path, String[] lines, LineMark[] marks, int[] hits,
                                      LineDetails details, String banner) {
        return build(path, lines, marks, hits, details, banner, null);
    }

    /**
     * Builds the content including its styled document; call off the FX thread for large files.
     *
     * @param remote the lines that open or close remote sections, by 1-based line, as the kernel index
     *               knows them; null when it does not, to find them in the source text
     */
    public static EditorContent build(String path, String[] lines, LineMark[] marks, int[] hits,
                                      LineDetails details, String banner, Map<Integer, RemoteLine> remote) {
        return build(path, lines, marks, hits, details, banner, remote, Map.of());
    }

    /**
     * {@link #build(String, String[], LineMark[], int[], LineDetails, String, Map)} with the lines that hold
     * comparison sites of the TRACE_CMP runs shown, by 1-based line.
     */
    public static EditorContent build(String path, String[] lines, LineMark[] marks, int[] hits,
                                      LineDetails details, String banner, Map<Integer, RemoteLine> remote,
                                      Map<Integer, ComparisonMark> comparisons) {
        return build(path, lines, marks, hits, details, banner, remote, comparisons, null);
    }

    /** As above, shaded by {@code heat} when it is not null. */
    public static EditorContent build(String path, String[] lines, LineMark[] marks, int[] hits,
                                      LineDetails details, String banner, Map<Integer, RemoteLine> remote,
                                      Map<Integer, ComparisonMark> comparisons, Heat heat) {
        if (heat != null && heat.runs().length < lines.length) {
            heat = new Heat(java.util.Arrays.copyOf(heat.runs(), lines.length), heat.of());
        }
        if (marks.length < lines.length || hits.length < lines.length) {
            LineMark[] paddedMarks = java.util.Arrays.copyOf(marks, lines.length);
            for (int i = marks.length; i < lines.length; i++) {
                paddedMarks[i] = LineMark.NOT_INSTRUMENTED;
            }
            marks = paddedMarks;
            hits = java.util.Arrays.copyOf(hits, Math.max(hits.length, lines.length));
        }
        return new EditorContent(path, lines, marks, hits, details, banner, remote, comparisons, heat);
    }

    private static Map<Integer, RemoteLine> fromSourceText(String[] lines) {
        Map<Integer, RemoteLine> found = new HashMap<>();
        BitSet calls = RemoteCallsInText.scan(lines);
        for (int i = calls.nextSetBit(0); i >= 0; i = calls.nextSetBit(i + 1)) {
            found.put(i + 1, new RemoteLine(RemoteCallsInText.isStart(lines[i]), "calls a kcov remote function"
                    + " (found in the source text: the kernel index does not say where remote sections are)"));
        }
        return found;
    }

    /** An editor with a message instead of source (file missing, sources offline). */
    public static EditorContent unavailable(String path, String reason) {
        return new EditorContent(path, new String[0], new LineMark[0], new int[0], LineDetails.NONE, reason, Map.of(),
                Map.of(), null);
    }

    public String path() {
        return path;
    }

    public int lineCount() {
        return lines.length;
    }

    /** The text of 1-based {@code line}. */
    public String line(int line) {
        return lines[line - 1];
    }

    public LineMark mark(int line) {
        return marks[line - 1];
    }

    public int hits(int line) {
        return hits[line - 1];
    }

    /** The heat the lines are shaded by, or null when they show coverage states. */
    public Heat heat() {
        return heat;
    }

    /** In how many of the composition's runs {@code line} was hit (0 without heat). */
    public int heatRuns(int line) {
        return heat == null ? 0 : heat.runs()[line - 1];
    }

    public boolean callsRemoteSection(int line) {
        return remoteLines.get(line - 1);
    }

    /** The remote-section marker of a line, or null. */
    public RemoteLine remoteLine(int line) {
        return remote.get(line);
    }

    /** Whether the gutter needs a column for comparison sites: some line of the file holds one of the runs shown. */
    public boolean hasComparisons() {
        return !comparisons.isEmpty();
    }

    /** The comparison-site mark of a line, or null when no site of the runs shown is on it. */
    public ComparisonMark comparison(int line) {
        return comparisons.get(line);
    }

    /** The hover text: the line's points, then its comparison sites when it has some. */
    public String details(int line) {
        String text = details.describe(line);
        ComparisonMark cmp = comparisons.get(line);
        if (cmp == null) {
            return text;
        }
        return text.isEmpty() ? cmp.tip() : text + "\n\n" + cmp.tip();
    }

    /** A warning shown above the text, or null. */
    public String banner() {
        return banner;
    }

    public StyledDocument<Collection<String>, String, Collection<String>> document() {
        return document;
    }

    /** The largest hit count, so the gutter can size its column once. */
    public int maxHits() {
        return maxHits;
    }
}
