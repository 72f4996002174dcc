package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.editor.LineDetails;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.editor.RemoteLine;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.runs.RunItem;
import dev.kcovexplorer.app.ui.runs.RunsView;
import dev.kcovexplorer.app.ui.runs.RunsViewModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.HBox;

/**
 * Styles and lays out a throwaway editor and run cards in a scene no window shows, off the FX thread, while the session
 * loads and before the window shows, and scrolls the editor one screen. In a fresh JVM an editor's first layout
 * (RichTextFX paragraphs, their gutters, their CSS) costs the FX thread 100 ms and more, nearly all of it classes
 * loaded and initialised and code run for the first time, and the pulse that lays out the session's first cards 40-46
 * ms instead of ~26: done once here instead. The scrolled screen's new paragraph cells run the code each cell runs
 * (its listeners, its gutter, its place in the flow) often enough for the C1 compiler: without it the second half of
 * vhost.c's first layout (a CMP session) took 55-61 ms. Three screens did that with the JDK's compile thresholds, the
 * two more costing the window builder 100-150 ms of CPU on the start's critical path; the launcher's lowered ones
 * (window_opts in ./kcov-explorer) need one. The classes the start's editor loads are the same either way: what the
 * screens bought was compiled code. The Functions table and project tree too, and six screens, took 0.4 s of its
 * CPU instead of ~0.2 s for a few ms less in the start's worst pulse (the tree and the table are made in pulses of
 * their own, under 40 ms cold).
 */
final class WindowWarmUp {
    private static final int LINES = 400;
    /** About the start view's editor's and Runs tool window's sizes in a 1600×1000 window. */
    private static final double EDITOR_WIDTH = 1100;
    private static final double RUNS_WIDTH = 400;
    private static final double HEIGHT = 500;

    private WindowWarmUp() {
    }

    static void run(String theme) {
        EditorViewModel editor = new EditorViewModel("warm-up.c");
        editor.show(content());
        EditorView editorView = new EditorView(editor, null);
        TabPane editors = new TabPane(new Tab("warm-up.c", editorView));
        editors.getStyleClass().add("editor-tabs");
        editors.setPrefWidth(EDITOR_WIDTH);
        RunsViewModel runs = new RunsViewModel();
        runs.setRuns(runs());
        RunsView cards = new RunsView(runs);
        cards.setPrefWidth(RUNS_WIDTH);
        HBox root = new HBox(cards, editors);
        Scene scene = new Scene(root, RUNS_WIDTH + EDITOR_WIDTH, HEIGHT);
        Themes.apply(scene, theme);
        root.applyCss();
        root.layout();
        editorView.area().showParagraphAtTop(LINES / 2);
        root.layout();
        linkFunctionRowEquals();
    }

    /**
     * A record's equals is linked at its first call, which spins its method handles (java.lang.runtime.ObjectMethods):
     * the Functions table's first layout compares rows, and paid that on the FX thread: 9 of 68 stack samples of that
     * pulse at kernel scale. Linked once, it serves every later call.
     */
    private static void linkFunctionRowEquals() {
        FunctionRow row = new FunctionRow("warm_up", "warm-up.c", 1, 1, 2, 1, 0, 0);
        row.equals(new FunctionRow("warm_up", "warm-up.c", 1, 1, 2, 1, 0, 0));
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

    /** Plain runs and series, whose cards carry a snapshot chooser (a combo box, the costliest part of a card). */
    private static List<RunItem> runs() {
        List<RunItem> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(new RunItem(i, "run_" + i, "#1f77b4", "USB bus " + i, "pc \u00B7 533,593 entries",
                    "99.6% resolved", i == 0 ? "a warning" : null));
        }
        for (int i = 0; i < 3; i++) {
            int first = 10 + 3 * i;
            items.add(new RunItem(first + 2, "series_" + i, "#ff7f0e", "campaign", "series \u00B7 3 snapshots",
                    "99.6% resolved", null, new RunItem.Series(List.of(first, first + 1, first + 2),
                    List.of("series_" + i + "@60s", "series_" + i + "@120s", "series_" + i + "@180s"),
                    List.of(60.0, 120.0, 180.0), 2)));
        }
        return items;
    }
}
