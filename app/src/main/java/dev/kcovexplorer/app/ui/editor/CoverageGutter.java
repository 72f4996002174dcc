package dev.kcovexplorer.app.ui.editor;

import java.util.function.IntFunction;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.geometry.Pos;
import javafx.scene.layout.HBox;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * The editor's gutter, one box per visible paragraph: line number, hit count, and the mark glyph
 * (so line states are not told by colour alone), a marker on remote-section calls, and on lines with
 * comparison sites of the TRACE_CMP runs shown a ◆/◈/◇ whose tooltip tells their operands.
 * RichTextFX calls it only for paragraphs on screen.
 */
final class CoverageGutter implements IntFunction<Node> {
    private static final double SYMBOL_WIDTH = 16;
    private final Supplier<EditorContent> content;

    CoverageGutter(Supplier<EditorContent> content) {
        this.content = content;
    }

    @Override
    public Node apply(int paragraph) {
        EditorContent c = content.get();
        int line = paragraph + 1;
        if (c == null || line > c.lineCount()) {
            return new HBox();
        }
        int digits = Integer.toString(c.lineCount()).length();
        int hitDigits = Math.max(2, Integer.toString(c.maxHits()).length());
        LineMark mark = c.mark(line);

        // Text nodes, not Labels: a screenful of gutters is built on every scroll and restyle.
        Text number = text(pad(Integer.toString(line), digits), "gutter-line-number");
        Text hits;
        if (c.heat() != null) {
            // Heat: in how many of the runs shown the line ran, "k/N", instead of how often it ran.
            int of = c.heat().of();
            int width = 2 * Integer.toString(of).length() + 1;
            String count = mark == LineMark.NOT_INSTRUMENTED ? "" : c.heatRuns(line) + "/" + of;
            hits = text(pad(count, width), "gutter-heat");
            hits.getStyleClass().add(CoverageDocument.heatClass(c.heat().level(c.heatRuns(line))));
        } else {
            int hitCount = c.hits(line);
            hits = text(pad(hitCount > 0 ? compact(hitCount) : "", Math.min(hitDigits, 5)), "gutter-hits");
        }
        Text glyph = symbol(mark.glyph(), "gutter-glyph");
        glyph.getStyleClass().add(mark.styleClass());
        RemoteLine section = c.remoteLine(line);
        Text remote = symbol(section == null ? "" : section.start() ? "\u25B6" : "\u25A0", "gutter-remote");
        if (section != null) {
            Tooltip.install(remote, new Tooltip(section.tip()));
        }

        HBox box = new HBox(number, hits, glyph, remote);
        if (c.hasComparisons()) {
            ComparisonMark cmp = c.comparison(line);
            Text comparison = symbol(cmp == null ? "" : cmp.kind().glyph(), "gutter-cmp");
            if (cmp != null) {
                comparison.getStyleClass().add(cmp.kind().styleClass());
                Tooltip.install(comparison, new Tooltip(cmp.tip()));
            }
            box.getChildren().add(comparison);
        }
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().addAll("coverage-gutter", mark.styleClass());
        if (section != null) {
            box.getStyleClass().add("remote-section-call");
        }
        return box;
    }

    /**
     * A one-symbol column of fixed width: glyphs such as ✔ or ▶ come from fallback fonts wider than the
     * monospaced space of an unmarked line, which pushed the code of marked lines to the right.
     */
    private static Text symbol(String content, String styleClass) {
        Text text = text(content.isEmpty() ? " " : content, styleClass);
        text.setWrappingWidth(SYMBOL_WIDTH);
        text.setTextAlignment(TextAlignment.CENTER);
        return text;
    }

    private static Text text(String content, String styleClass) {
        Text text = new Text(content);
        text.getStyleClass().addAll("gutter-text", styleClass);
        return text;
    }

    /** 1234567 -> "1.2M": the gutter stays narrow while the hover shows the exact figure. */
    static String compact(int count) {
        if (count < 10_000) {
            return Integer.toString(count);
        }
        if (count < 1_000_000) {
            return (count / 1000) + "k";
        }
        return String.format(java.util.Locale.ROOT, "%.1fM", count / 1e6);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }
}
