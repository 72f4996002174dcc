package dev.kcovexplorer.app.ui.editor;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.fxmisc.richtext.model.ReadOnlyStyledDocumentBuilder;
import org.fxmisc.richtext.model.SegmentOps;
import org.fxmisc.richtext.model.StyledDocument;

/**
 * Builds the styled document an editor shows: one paragraph per source line whose paragraph style is
 * the line's mark. Built off the FX thread and swapped into the editor in one replace, which is how
 * RichTextFX restyles thousands of lines without a per-line relayout.
 */
public final class CoverageDocument {
    private static final Collection<String> NO_TEXT_STYLE = List.of();
    private static final List<Collection<String>> HEAT_STYLES = java.util.stream.IntStream
            .rangeClosed(0, EditorContent.Heat.LEVELS).mapToObj(level -> (Collection<String>) List.of(heatClass(level)))
            .toList();

    /** The CSS class of heat level {@code level} (0: no run hit the line). */
    public static String heatClass(int level) {
        return "line-heat-" + level;
    }

    private CoverageDocument() {
    }

    public static StyledDocument<Collection<String>, String, Collection<String>> build(
            String[] lines, LineMark[] marks, BitSet remoteLines) {
        return build(lines, marks, remoteLines, null);
    }

    /**
     * With {@code heat}, an instrumented line's paragraph style is its heat level ({@code line-heat-0} for a
     * line no run hit … {@code line-heat-5} for one every run hit) instead of its state.
     */
    public static StyledDocument<Collection<String>, String, Collection<String>> build(
            String[] lines, LineMark[] marks, BitSet remoteLines, EditorContent.Heat heat) {
        Map<LineMark, Collection<String>> plain = new EnumMap<>(LineMark.class);
        Map<LineMark, Collection<String>> remote = new EnumMap<>(LineMark.class);
        for (LineMark mark : LineMark.values()) {
            plain.put(mark, List.of(mark.styleClass()));
            remote.put(mark, List.of(mark.styleClass(), "remote-section-call"));
        }
        ReadOnlyStyledDocumentBuilder<Collection<String>, String, Collection<String>> builder =
                new ReadOnlyStyledDocumentBuilder<>(SegmentOps.styledTextOps(), List.of(), Math.max(1, lines.length));
        for (int i = 0; i < lines.length; i++) {
            LineMark mark = i < marks.length && marks[i] != null ? marks[i] : LineMark.NOT_INSTRUMENTED;
            Collection<String> style = (remoteLines.get(i) ? remote : plain).get(mark);
            if (heat != null && mark != LineMark.NOT_INSTRUMENTED) {
                style = HEAT_STYLES.get(heat.level(heat.runs()[i]));
            }
            builder.addParagraph(lines[i], NO_TEXT_STYLE, style);
        }
        if (lines.length == 0) {
            builder.addParagraph("", NO_TEXT_STYLE, plain.get(LineMark.NOT_INSTRUMENTED));
        }
        return builder.build();
    }

    /** Splits source text into lines the way the editor numbers them (\n, \r\n; tabs kept). */
    public static String[] splitLines(String text) {
        List<String> lines = new ArrayList<>(text.length() / 40 + 1);
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                lines.add(text.substring(start, end));
                start = i + 1;
            }
        }
        if (start < n) {
            lines.add(text.substring(start));
        }
        return lines.toArray(String[]::new);
    }
}
