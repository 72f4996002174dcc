package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.editor.LineDetails;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.editor.RemoteLine;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.functions.FunctionsView;
import dev.kcovexplorer.app.ui.functions.FunctionsViewModel;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

/**
 * Styles and lays out a throwaway editor and Functions table in a scene no window shows, off the FX thread,
 * while the session loads. In a fresh JVM the first editor's first layout (RichTextFX paragraphs, their
 * gutters, their CSS) and the table's first rows cost the FX thread 100 ms and more, nearly all of it classes
 * loaded and initialised and code not yet compiled: done once here, where nobody waits for it.
 */
final class WindowWarmUp {
    private static final int LINES = 400;

    private WindowWarmUp() {
    }

    static void run(String theme, BackgroundTasks tasks) {
        EditorViewModel editor = new EditorViewModel("warm-up.c");
        editor.show(content());
        EditorView editorView = new EditorView(editor, null);
        TabPane editors = new TabPane(new Tab("warm-up.c", editorView));
        editors.getStyleClass().add("editor-tabs");
        FunctionsViewModel functions = new FunctionsViewModel(tasks);
        functions.setFunctions(functions(), false, false);
        SplitPane root = new SplitPane(editors, new FunctionsView(functions));
        root.setOrientation(Orientation.VERTICAL);
        root.getStyleClass().add("main-view");
        Scene scene = new Scene(root, 1200, 900);
        Themes.apply(scene, theme);
        root.applyCss();
        root.layout();
        // And a scroll, as revealing a function does.
        editorView.area().showParagraphAtCenter(LINES / 2);
        root.layout();
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

    private static List<FunctionRow> functions() {
        List<FunctionRow> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(new FunctionRow("function_" + i, "drivers/warm/up.c", i + 1, i % 17, 20, i * 3L, 0, 0));
        }
        return rows;
    }
}
