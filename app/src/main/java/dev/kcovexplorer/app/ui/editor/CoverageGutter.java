package dev.kcovexplorer.app.ui.editor;

import java.util.function.IntFunction;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/**
 * The editor's gutter, one box per visible paragraph: line number, hit count, and the mark glyph
 * (so line states are not told by colour alone), plus a marker on remote-section calls.
 * RichTextFX calls it only for paragraphs on screen.
 */
final class CoverageGutter implements IntFunction<Node> {
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

        Label number = new Label(pad(Integer.toString(line), digits));
        number.getStyleClass().add("gutter-line-number");
        int hitCount = c.hits(line);
        Label hits = new Label(pad(hitCount > 0 ? compact(hitCount) : "", Math.min(hitDigits, 5)));
        hits.getStyleClass().add("gutter-hits");
        Label glyph = new Label(mark.glyph().isEmpty() ? " " : mark.glyph());
        glyph.getStyleClass().addAll("gutter-glyph", mark.styleClass());
        Label remote = new Label(c.callsRemoteSection(line)
                ? (RemoteSections.isStart(c.line(line)) ? "\u25B6" : "\u25A0") : " ");
        remote.getStyleClass().add("gutter-remote");

        HBox box = new HBox(number, hits, glyph, remote);
        box.getStyleClass().addAll("coverage-gutter", mark.styleClass());
        return box;
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
