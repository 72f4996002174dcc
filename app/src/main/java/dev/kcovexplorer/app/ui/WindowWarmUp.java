package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.editor.LineDetails;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.editor.RemoteLine;
import java.util.Map;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

/**
 * Styles and lays out a throwaway editor in a scene no window shows, off the FX thread, while the session loads and
 * before the window shows. In a fresh JVM an editor's first layout (RichTextFX paragraphs, their gutters, their CSS)
 * costs the FX thread 100 ms and more, nearly all of it classes loaded and initialised and code run for the first
 * time: done once here instead, so that the start view's editor, laid out over two pulses (EditorView), stays under
 * 50 ms a pulse. Only the editor, unscrolled: the window-builder thread runs this before the window shows, on the
 * start's critical path. Warming the Functions table, run cards and project tree too, and scrolling six screens of the
 * editor, took 0.4 s of its CPU instead of 0.13 s for 5-10 ms less in the worst pulse of the start (their results are
 * handed over a pulse at a time, PacedUiThread, and each stays under 45 ms cold).
 */
final class WindowWarmUp {
    /** More than the editor's viewport shows, so that its first layout fills it. */
    private static final int LINES = 80;
    /** About the start view's editor's size in a 1600×1000 window. */
    private static final double WIDTH = 1100;
    private static final double HEIGHT = 500;

    private WindowWarmUp() {
    }

    static void run(String theme) {
        EditorViewModel editor = new EditorViewModel("warm-up.c");
        editor.show(content());
        TabPane editors = new TabPane(new Tab("warm-up.c", new EditorView(editor, null)));
        editors.getStyleClass().add("editor-tabs");
        Scene scene = new Scene(editors, WIDTH, HEIGHT);
        Themes.apply(scene, theme);
        editors.applyCss();
        editors.layout();
    }

    /** Lines of every mark and length, a remote-section call among them. */
    private static EditorContent content() {
        String[] lines = new String[LINES];
        LineMark[] marks = new LineMark[LINES];
        int[] hits = new int[LINES];
        LineMark[] kinds = LineMark.values();
        for (int i = 0; i < LINES; i++) {
            lines[i] = "\t".repeat(i % 4) + "if (hub->event_bits[" + i + "] & (1 << port1)) /* " + "x".repeat(i % 60) + " */";
            marks[i] = kinds[i % kinds.length];
            hits[i] = marks[i].ran() ? i : 0;
        }
        return EditorContent.build("warm-up.c", lines, marks, hits, LineDetails.NONE, null,
                Map.of(7, new RemoteLine(true, "calls a kcov remote function")));
    }
}
