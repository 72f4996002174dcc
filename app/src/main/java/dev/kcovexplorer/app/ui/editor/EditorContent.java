package dev.kcovexplorer.app.ui.editor;

import java.util.BitSet;
import java.util.Collection;
import org.fxmisc.richtext.model.StyledDocument;

/**
 * Everything one editor tab shows, built off the FX thread: the source lines, each line's mark and hit
 * count, the remote-section lines, the hover details, a banner (source drift, missing file) and the
 * ready-made styled document. Arrays are indexed by line - 1 and never mutated after construction.
 */
public final class EditorContent {
    private final String path;
    private final String[] lines;
    private final LineMark[] marks;
    private final int[] hits;
    private final BitSet remoteLines;
    private final LineDetails details;
    private final String banner;
    private final StyledDocument<Collection<String>, String, Collection<String>> document;

    private EditorContent(String path, String[] lines, LineMark[] marks, int[] hits, LineDetails details,
                          String banner) {
        this.path = path;
        this.lines = lines;
        this.marks = marks;
        this.hits = hits;
        this.remoteLines = RemoteSections.scan(lines);
        this.details = details;
        this.banner = banner;
        this.document = CoverageDocument.build(lines, marks, remoteLines);
    }

    /** Builds the content including its styled document; call off the FX thread for large files. */
    public static EditorContent build(String path, String[] lines, LineMark[] marks, int[] hits,
                                      LineDetails details, String banner) {
        if (marks.length < lines.length || hits.length < lines.length) {
            LineMark[] paddedMarks = java.util.Arrays.copyOf(marks, lines.length);
            for (int i = marks.length; i < lines.length; i++) {
                paddedMarks[i] = LineMark.NOT_INSTRUMENTED;
            }
            marks = paddedMarks;
            hits = java.util.Arrays.copyOf(hits, Math.max(hits.length, lines.length));
        }
        return new EditorContent(path, lines, marks, hits, details, banner);
    }

    /** An editor with a message instead of source (file missing, sources offline). */
    public static EditorContent unavailable(String path, String reason) {
        return new EditorContent(path, new String[0], new LineMark[0], new int[0], LineDetails.NONE, reason);
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

    public boolean callsRemoteSection(int line) {
        return remoteLines.get(line - 1);
    }

    public String details(int line) {
        return details.describe(line);
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
        int max = 0;
        for (int i = 0; i < lines.length; i++) {
            max = Math.max(max, hits[i]);
        }
        return max;
    }
}
