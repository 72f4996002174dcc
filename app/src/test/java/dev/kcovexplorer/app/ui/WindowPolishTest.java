package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.tree.ProjectNode;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.testing.Patience;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import org.fxmisc.richtext.Caret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What the window shows beyond the line states, measured on the real window: the dark theme's selected tree
 * row is readable, code starts at the same x on every line (plain, coloured, ▶/■), F2 and go-to-line leave a
 * visible caret with line:column in the status bar, and diff mode keeps the tree's % in view and sorts
 * "Δ points" by points gained.
 */
class WindowPolishTest {
    private static final String REMOTE = "/dev/kcovexplorer/app/model/remote/";

    @TempDir
    static Path remoteDir;
    private static FixtureSession fixture;
    private static KernelIndex remoteIndex;

    @TempDir
    Path config;

    private final FxRobot robot = new FxRobot();
    private WindowHarness window;
    private Session session;

    @BeforeAll
    static void buildFixtures() throws Exception {
        InstrumentedProgram.requireTools();
        fixture = FixtureSession.get();
        for (String name : List.of("remote.c", "remote_harness.c")) {
            try (InputStream in = WindowPolishTest.class.getResourceAsStream(REMOTE + name)) {
                Files.copy(in, remoteDir.resolve(name));
            }
        }
        Tools.check(remoteDir, null, List.of("gcc", "-O2", "-g", "-fsanitize-coverage=trace-pc", "-c", "remote.c",
                "-o", "remote.o"));
        Tools.check(remoteDir, null, List.of("gcc", "-O2", "-g", "-c", "remote_harness.c", "-o", "harness.o"));
        Tools.check(remoteDir, null, List.of("gcc", "-no-pie", "-o", "remote", "remote.o", "harness.o"));
        Tools.check(remoteDir, null, List.of(remoteDir.resolve("remote").toString(), "2", "remote.bin"));
        remoteIndex = new KernelIndexBuilder().build(remoteDir.resolve("remote"), BuildMonitor.SILENT);
    }

    @BeforeEach
    void openWindow() throws Exception {
        window = WindowHarness.open(config, 1400, 900);
        session = fixture.newSession();
        window.show(session, new DirectorySources(fixture.directory, Map.of()), "fixture");
    }

    @AfterEach
    void closeWindow() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void theDarkThemesSelectedTreeRowIsReadableFocusedOrNot() throws Exception {
        onFx(() -> {
            if (!"dark".equals(window.model.themeProperty().get())) {
                window.model.toggleTheme();
            }
            return null;
        });
        TreeItem<ProjectNode> file = onFx(() -> findTreeItem(window.view.projectView().tree().getRoot(), "fixture.c"));
        onFx(() -> {
            window.view.projectView().tree().getSelectionModel().select(file);
            window.view.projectView().focusTree();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(3);
        assertThat(selectedRowContrast()).as("selected row, tree focused").isGreaterThanOrEqualTo(4.5);

        onFx(() -> {
            window.view.functionsView().filterField().requestFocus();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(3);
        assertThat(onFx(() -> window.view.projectView().tree().isFocused())).isFalse();
        assertThat(selectedRowContrast()).as("selected row, focus elsewhere").isGreaterThanOrEqualTo(4.5);
    }

    /** WCAG contrast of the selected row's name against the row's background, as painted. */
    private double selectedRowContrast() throws Exception {
        return onFx(() -> {
            for (Node node : window.view.projectView().tree().lookupAll(".tree-cell")) {
                if (node instanceof TreeCell<?> cell && cell.isSelected() && cell.getItem() != null) {
                    Color background = (Color) cell.getBackground().getFills()
                            .get(cell.getBackground().getFills().size() - 1).getFill();
                    Color text = (Color) ((Label) cell.lookup(".node-name")).getTextFill();
                    return contrast(background, text);
                }
            }
            throw new AssertionError("no selected row on screen");
        });
    }

    private static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
    }

    private static double linear(double channel) {
        return channel <= 0.03928 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
    }

    @Test
    void codeStartsAtTheSameXOnPlainColouredAndRemoteSectionLines() throws Exception {
        Session remote = Session.create(remoteIndex);
        remote.addRun(RunInput.of("worker", DumpReader.read(remoteDir.resolve("remote.bin")), "USB bus 2, common 0x42"));
        window.show(remote, new DirectorySources(remoteDir, Map.of()), "remote");
        onFx(() -> window.model.editors().open("remote.c"));
        window.awaitIdle();
        EditorView editor = onFx(window.view::selectedEditorView);
        Map<Integer, LineMark> painted = PaintedLines.of(editor);
        int firstMarker = onFx(() -> {
            for (int line = 1; line <= editor.model().content().lineCount(); line++) {
                if (editor.model().content().remoteLine(line) != null) {
                    return line;
                }
            }
            return -1;
        });
        assertThat(firstMarker).as("remote.c has ▶/■ lines").isPositive();
        onFx(() -> {
            editor.area().showParagraphAtTop(Math.max(0, firstMarker - 12));
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(3);

        // x of the first character of every visible non-empty line, by kind of line
        Map<String, List<Double>> xByKind = new TreeMap<>();
        Map<Integer, Double> xByLine = onFx(() -> {
            Map<Integer, Double> out = new TreeMap<>();
            var area = editor.area();
            int first = area.firstVisibleParToAllParIndex();
            int last = area.lastVisibleParToAllParIndex();
            for (int paragraph = first; paragraph <= last; paragraph++) {
                if (area.getParagraphLength(paragraph) == 0) {
                    continue;
                }
                int at = area.getAbsolutePosition(paragraph, 0);
                Bounds bounds = area.getCharacterBoundsOnScreen(at, at + 1).orElse(null);
                if (bounds != null) {
                    out.put(paragraph + 1, bounds.getMinX());
                }
            }
            return out;
        });
        for (Map.Entry<Integer, Double> entry : xByLine.entrySet()) {
            int line = entry.getKey();
            boolean marker = onFx(() -> editor.model().content().remoteLine(line) != null);
            String kind = marker ? "remote" : painted.containsKey(line) ? "coloured" : "plain";
            xByKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(entry.getValue());
        }
        System.out.println("text x by kind of line: " + xByKind);
        assertThat(xByKind).containsKeys("plain", "coloured", "remote");
        double plainX = xByKind.get("plain").get(0);
        for (Map.Entry<String, List<Double>> kind : xByKind.entrySet()) {
            for (double x : kind.getValue()) {
                assertThat(x).as(kind.getKey() + " line's text x").isCloseTo(plainX, org.assertj.core.data.Offset.offset(0.5));
            }
        }
    }

    @Test
    void f2AndGoToLineLeaveAVisibleCaretAndTheStatusBarShowsLineAndColumn() throws Exception {
        onFx(() -> window.model.editors().open("fixture.c"));
        window.awaitIdle();
        EditorView editor = onFx(window.view::selectedEditorView);
        onFx(() -> {
            window.view.projectView().focusTree();
            return null;
        });
        robot.type(KeyCode.F2);
        int line = onFx(() -> editor.model().caretLineProperty().get());
        assertThat(onFx(() -> editor.model().content().mark(line).needsAttention())).isTrue();
        awaitVisibleCaretAt(editor, line);

        robot.press(KeyCode.CONTROL, KeyCode.G).release(KeyCode.G, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                () -> robot.lookup(".text-input-dialog .text-field").tryQuery().isPresent());
        onFx(() -> {
            robot.lookup(".text-input-dialog .text-field").queryTextInputControl().setText("12");
            return null;
        });
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                () -> onFx(() -> editor.model().caretLineProperty().get() == 12));
        awaitVisibleCaretAt(editor, 12);
    }

    /** The area has focus, its caret is drawn on {@code line}, and the status bar says line:column. */
    private void awaitVisibleCaretAt(EditorView editor, int line) throws Exception {
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> onFx(() -> {
            var area = editor.area();
            if (!area.isFocused() || area.getShowCaret() != Caret.CaretVisibility.ON
                    || area.getCurrentParagraph() != line - 1) {
                return false;
            }
            Node paragraph = area.getParagraphGraphic(line - 1).getParent();
            return paragraph.lookupAll(".caret").stream().anyMatch(Node::isVisible);
        }));
        String expected = line + ":" + onFx(() -> editor.area().getCaretColumn() + 1);
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                () -> onFx(() -> expected.equals(((Label) window.scene.lookup(".status-caret")).getText())));
    }

    @Test
    void diffModeKeepsTheTreesPercentInViewAndSortsDeltaPointsByGained() throws Exception {
        robot.clickOn(window.view.compositionView().diffToggle());
        window.awaitIdle();
        // extended → basic: loop_sum loses many points, classify gains one; by churn loop_sum would come first
        onFx(() -> {
            window.model.composition().baselineProperty().set("extended");
            window.model.composition().currentProperty().set("basic");
            return null;
        });
        window.awaitIdle();
        onFx(() -> {
            SplitPane horizontal = horizontalSplitOf(window.view.projectView());
            horizontal.setDividerPositions(300.0 / horizontal.getWidth());
            expandAll(window.view.projectView().tree().getRoot());
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(5);
        int checked = onFx(() -> {
            var tree = window.view.projectView().tree();
            Bounds viewport = tree.lookup(".clipped-container").localToScene(
                    tree.lookup(".clipped-container").getLayoutBounds());
            double right = viewport.getMaxX();
            for (Node bar : tree.lookupAll(".scroll-bar")) {
                if (bar instanceof ScrollBar scroll && scroll.getOrientation() == Orientation.VERTICAL && scroll.isVisible()) {
                    right = Math.min(right, scroll.localToScene(scroll.getLayoutBounds()).getMinX());
                }
            }
            int n = 0;
            for (Node node : tree.lookupAll(".tree-cell")) {
                if (node instanceof TreeCell<?> cell && cell.getItem() != null && cell.isVisible()) {
                    Node percent = cell.lookup(".node-percent");
                    Bounds bounds = percent.localToScene(percent.getLayoutBounds());
                    assertThat(bounds.getMaxX()).as("%% of %s", cell.getItem()).isLessThanOrEqualTo(right + 0.5);
                    assertThat(cell.lookup(".node-delta").isVisible()).isTrue();
                    n++;
                }
            }
            return n;
        });
        assertThat(checked).isPositive();

        List<FunctionRow> sorted = onFx(() -> {
            var table = window.view.functionsView().table();
            TableColumn<FunctionRow, ?> delta = table.getColumns().stream()
                    .filter(c -> c.getText().equals("\u0394 points")).findFirst().orElseThrow();
            delta.setSortType(TableColumn.SortType.DESCENDING);
            table.getSortOrder().setAll(List.of(delta));
            return List.copyOf(table.getItems());
        });
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i).gainedPoints()).as(sorted.get(i).name())
                    .isLessThanOrEqualTo(sorted.get(i - 1).gainedPoints());
        }
        boolean churnOrdersOtherwise = false;
        for (FunctionRow a : sorted) {
            for (FunctionRow b : sorted) {
                churnOrdersOtherwise |= a.gainedPoints() > b.gainedPoints()
                        && a.gainedPoints() + a.lostPoints() < b.gainedPoints() + b.lostPoints();
            }
        }
        assertThat(churnOrdersOtherwise).as("a function that lost much ranks below one that gained").isTrue();
    }

    private static SplitPane horizontalSplitOf(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n instanceof SplitPane split && split.getOrientation() == Orientation.HORIZONTAL) {
                return split;
            }
        }
        throw new AssertionError("no horizontal split above the project view");
    }

    private static void expandAll(TreeItem<ProjectNode> item) {
        if (item == null) {
            return;
        }
        item.setExpanded(true);
        item.getChildren().forEach(WindowPolishTest::expandAll);
    }

    private static TreeItem<ProjectNode> findTreeItem(TreeItem<ProjectNode> item, String path) {
        if (item == null) {
            return null;
        }
        if (item.getValue().file() && item.getValue().path().equals(path)) {
            return item;
        }
        for (TreeItem<ProjectNode> child : List.copyOf(item.getChildren())) {
            TreeItem<ProjectNode> found = findTreeItem(child, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
