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
import dev.kcovexplorer.app.ui.runs.RunItem;
import dev.kcovexplorer.app.ui.runs.RunsView;
import dev.kcovexplorer.app.ui.runs.RunsViewModel;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.app.ui.tree.FileFigures;
import dev.kcovexplorer.app.ui.tree.ProjectTreeView;
import dev.kcovexplorer.app.ui.tree.ProjectTreeViewModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

/**
 * Styles and lays out a throwaway editor, Functions table, run cards and project tree in a scene no window
 * shows, off the FX thread, while the session loads and before the window shows. In a fresh JVM the first editor's first layout
 * (RichTextFX paragraphs, their gutters, their CSS), the first run cards and tree rows each cost the FX thread
 * 100 ms and more, nearly all of it classes loaded and initialised and code not yet compiled: done once
 * here, off the FX thread. Not for free: the window-builder thread runs it before the window shows (0.5 s of its
 * CPU, the scrolling 0.2 s of that): the window shows that much later, for shorter stalls of its first pulses.
 */
final class WindowWarmUp {
    private static final int LINES = 400;
    private static final int SCREENS = 6;
    private static final String FILES = "drivers/warm";
    private static final int FILES_SHOWN = 60;

    private WindowWarmUp() {
    }

    static void run(String theme) throws InterruptedException {
        // Its results are delivered right away, on the thread that finishes them: nothing here is on screen.
        try (BackgroundTasks here = new BackgroundTasks(Runnable::run, 1)) {
            EditorViewModel editor = new EditorViewModel("warm-up.c");
            editor.show(content());
            EditorView editorView = new EditorView(editor, null);
            TabPane editors = new TabPane(new Tab("warm-up.c", editorView));
            editors.getStyleClass().add("editor-tabs");
            FunctionsViewModel functions = new FunctionsViewModel(here);
            functions.setFunctions(functions(), false, false);
            RunsViewModel runs = new RunsViewModel();
            runs.setRuns(runs());
            ProjectTreeViewModel tree = new ProjectTreeViewModel(here);
            tree.setFigures(files(FILES, FILES_SHOWN), Map.of(), false);
            CountDownLatch built = new CountDownLatch(1);
            here.whenIdle(built::countDown);
            built.await();

            SplitPane left = new SplitPane(new RunsView(runs), new ProjectTreeView(tree));
            SplitPane right = new SplitPane(editors, new FunctionsView(functions));
            left.setOrientation(Orientation.VERTICAL);
            right.setOrientation(Orientation.VERTICAL);
            SplitPane root = new SplitPane(left, right);
            root.getStyleClass().add("main-view");
            Scene scene = new Scene(root, 1400, 900);
            Themes.apply(scene, theme);
            root.applyCss();
            root.layout();
            // And scrolls, as revealing a function and its file do: screens of new paragraphs, until the code
            // that makes one has run often enough to be compiled.
            tree.reveal(FILES + "/file_" + (FILES_SHOWN / 2) + ".c");
            for (int screen = 1; screen <= SCREENS; screen++) {
                editorView.area().showParagraphAtTop(screen * (LINES / (SCREENS + 1)));
                root.layout();
            }
        }
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

    /** {@code count} files under {@code dir}, each beside a directory of its own (also FirstEditorLayoutTest's tree). */
    static List<FileFigures> files(String dir, int count) {
        List<FileFigures> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(new FileFigures(dir + "/file_" + i + ".c", i, 3 * i + 1, i, 3 * i + 1, 0, 0));
            files.add(new FileFigures("dir_" + i + "/other.c", 0, 10, 0, 10, 0, 0));
        }
        return files;
    }

    private static List<FunctionRow> functions() {
        List<FunctionRow> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(new FunctionRow("function_" + i, "drivers/warm/up.c", i + 1, i % 17, 20, i * 3L, 0, 0));
        }
        return rows;
    }
}
