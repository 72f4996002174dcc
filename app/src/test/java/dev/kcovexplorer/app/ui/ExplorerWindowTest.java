package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.RunDiff;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.runs.RunItem;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.model.source.TarballSources;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.tree.ProjectNode;
import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Drives the real window on Monocle over real coverage of the gcc-built fixture: the tree, the editor's
 * painted line states against the model's, the composition bar, diff mode and the keyboard shortcuts.
 */
class ExplorerWindowTest {
    private static FixtureSession fixture;

    @TempDir
    Path config;

    private final FxRobot robot = new FxRobot();
    private WindowHarness window;
    private Session session;

    @BeforeAll
    static void buildFixture() throws Exception {
        FixtureSession.requireTools();
        fixture = FixtureSession.get();
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
    void treeOpensAFileWhoseLinesArePaintedWithTheModelsStates() throws Exception {
        TreeItem<ProjectNode> file = onFx(() -> findTreeItem(window.view.projectView().tree().getRoot(), "fixture.c"));
        assertThat(file).as("fixture.c in the project tree").isNotNull();
        Coverage union = session.coverage(session.runs());
        int fileId = union.layout().findFile("fixture.c");
        assertThat(file.getValue().coveredLines()).isEqualTo(union.file(fileId).coveredLines());
        assertThat(file.getValue().coverableLines()).isEqualTo(union.file(fileId).lines());

        onFx(() -> {
            window.view.projectView().tree().getSelectionModel().select(file);
            window.view.projectView().focusTree();
            return null;
        });
        robot.type(KeyCode.ENTER);
        window.awaitIdle();

        EditorView editor = onFx(window.view::selectedEditorView);
        assertThat(editor.model().path()).isEqualTo("fixture.c");
        Map<Integer, LineMark> expected = PaintedLines.expected(union, null, "fixture.c");
        assertThat(PaintedLines.of(editor)).isEqualTo(expected);
        assertThat(expected.values()).contains(LineMark.COVERED, LineMark.UNCOVERED, LineMark.NOT_EXECUTED);

        // What is on screen: the gutter glyph of every visible line, and the covered background colour.
        onFx(() -> {
            int visible = editor.area().getVisibleParagraphs().size();
            int first = editor.area().firstVisibleParToAllParIndex();
            for (int i = 0; i < visible; i++) {
                int paragraph = first + i;
                LineMark mark = expected.getOrDefault(paragraph + 1, LineMark.NOT_INSTRUMENTED);
                Node gutter = editor.area().getParagraphGraphic(paragraph);
                assertThat(gutter.lookup(".gutter-glyph")).isInstanceOf(Text.class);
                assertThat(((Text) gutter.lookup(".gutter-glyph")).getText().trim()).as("glyph of line " + (paragraph + 1))
                        .isEqualTo(mark.glyph());
                if (mark == LineMark.COVERED) {
                    Region text = (Region) gutter.getParent().lookup(".paragraph-text");
                    assertThat(text.getBackground().getFills().get(0).getFill()).isEqualTo(Color.web("#d3f0e3"));
                }
            }
            return null;
        });
    }

    @Test
    void anExpressionRestylesTreeFunctionsAndEditors() throws Exception {
        openInEditor("fixture.c");
        robot.clickOn(window.view.compositionView().expressionField()).write("basic");
        window.awaitIdle();

        SessionRun basic = session.run("basic").orElseThrow();
        Coverage coverage = session.coverage(basic);
        EditorView editor = onFx(window.view::selectedEditorView);
        assertThat(PaintedLines.of(editor)).isEqualTo(PaintedLines.expected(coverage, null, "fixture.c"));
        int fileId = coverage.layout().findFile("fixture.c");
        TreeItem<ProjectNode> file = onFx(() -> findTreeItem(window.view.projectView().tree().getRoot(), "fixture.c"));
        assertThat(file.getValue().coveredLines()).isEqualTo(coverage.file(fileId).coveredLines());
        FunctionRow classify = onFx(() -> window.model.functions().find("loop_sum"));
        int loopSum = coverage.layout().findFunction("loop_sum", "fixture.c");
        assertThat(classify.coveredPoints()).isEqualTo(coverage.function(loopSum).coveredPoints()).isZero();

        robot.write(" | nope");
        window.awaitIdle();
        assertThat(onFx(() -> window.model.composition().problemProperty().get())).contains("unknown run");
        assertThat(PaintedLines.of(editor)).as("an invalid expression keeps the last view")
                .isEqualTo(PaintedLines.expected(coverage, null, "fixture.c"));
    }

    @Test
    void diffModePaintsGenhtmlCategoriesAndShowsDeltas() throws Exception {
        openInEditor("fixture.c");
        robot.clickOn(window.view.compositionView().diffToggle());
        window.awaitIdle();

        RunDiff diff = session.diff(session.coverage(session.run("basic").orElseThrow()),
                session.coverage(session.run("extended").orElseThrow()));
        EditorView editor = onFx(window.view::selectedEditorView);
        Map<Integer, LineMark> expected = PaintedLines.expected(diff.current(), diff, "fixture.c");
        assertThat(PaintedLines.of(editor)).isEqualTo(expected);
        assertThat(expected.values()).contains(LineMark.GBC, LineMark.CBC);

        CoverageLayout layout = diff.layout();
        int loopSum = layout.findFunction("loop_sum", "fixture.c");
        FunctionRow row = onFx(() -> window.model.functions().find("loop_sum"));
        assertThat(row.gainedPoints()).isEqualTo(diff.functionGained(loopSum)).isPositive();
        assertThat(row.lostPoints()).isEqualTo(diff.functionLost(loopSum));
        TreeItem<ProjectNode> file = onFx(() -> findTreeItem(window.view.projectView().tree().getRoot(), "fixture.c"));
        assertThat(file.getValue().gainedPoints()).isEqualTo(diff.fileGained(layout.findFile("fixture.c")));
    }

    /** Waits until a go-to popup shows with its query field focused, where the robot's typing lands. */
    private static void awaitGoToPopup() throws Exception {
        WaitForAsyncUtils.waitFor(Patience.SECONDS, java.util.concurrent.TimeUnit.SECONDS,
                () -> onFx(() -> Window.getWindows().stream()
                        .filter(w -> w.isShowing() && w.getScene() != null && w.getScene().lookup(".goto-popup") != null)
                        .anyMatch(w -> w.getScene().getFocusOwner() instanceof TextField)));
    }

    @Test
    void keyboardShortcutsNavigate() throws Exception {
        // Ctrl+Shift+N: go to file.
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.N).release(KeyCode.N, KeyCode.SHIFT, KeyCode.CONTROL);
        awaitGoToPopup();
        robot.write("fixture.h").type(KeyCode.ENTER);
        window.awaitIdle();
        assertThat(onFx(() -> window.model.editors().selected().path())).isEqualTo("fixture.h");

        // Ctrl+Alt+Shift+N: go to function, opens its file at its first line.
        robot.press(KeyCode.CONTROL, KeyCode.ALT, KeyCode.SHIFT, KeyCode.N)
                .release(KeyCode.N, KeyCode.SHIFT, KeyCode.ALT, KeyCode.CONTROL);
        awaitGoToPopup();
        robot.write("never_called").type(KeyCode.ENTER);
        window.awaitIdle();
        int neverCalledLine = session.layout().functionFirstLine(session.layout().findFunction("never_called", "fixture.c"));
        assertThat(onFx(() -> window.model.editors().selected().path())).isEqualTo("fixture.c");
        assertThat(onFx(() -> window.model.editors().selected().caretLineProperty().get())).isEqualTo(neverCalledLine);

        // Ctrl+Tab: back to the other editor, and again.
        robot.press(KeyCode.CONTROL, KeyCode.TAB).release(KeyCode.TAB, KeyCode.CONTROL);
        window.awaitIdle();
        assertThat(onFx(() -> window.model.editors().selected().path())).isEqualTo("fixture.h");
        robot.press(KeyCode.CONTROL, KeyCode.TAB).release(KeyCode.TAB, KeyCode.CONTROL);
        window.awaitIdle();
        assertThat(onFx(() -> window.model.editors().selected().path())).isEqualTo("fixture.c");

        // F2 / Shift+F2: next / previous line that needs attention, as the model's states say.
        Map<Integer, LineMark> marks = PaintedLines.expected(session.coverage(session.runs()), null, "fixture.c");
        onFx(() -> {
            window.model.editors().selected().goToLine(1);
            return null;
        });
        robot.type(KeyCode.F2);
        window.awaitIdle();
        int firstAttention = marks.entrySet().stream().filter(e -> e.getValue().needsAttention())
                .mapToInt(Map.Entry::getKey).min().orElseThrow();
        assertThat(onFx(() -> window.model.editors().selected().caretLineProperty().get())).isEqualTo(firstAttention);

        // Ctrl+F: find bar, Enter finds the next occurrence.
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        robot.write("loop_sum").type(KeyCode.ENTER);
        window.awaitIdle();
        List<String> source = java.nio.file.Files.readAllLines(fixture.directory.resolve("fixture.c"));
        int expectedLine = firstAttention + 1;
        while (!source.get(expectedLine - 1).contains("loop_sum")) {
            expectedLine++;
        }
        assertThat(onFx(() -> window.model.editors().selected().caretLineProperty().get())).isEqualTo(expectedLine);
    }

    @Test
    void runsCanBeAddedRenamedHiddenAndRemovedAndTheThemeIsRemembered() throws Exception {
        onFx(() -> {
            window.model.runs().addDumps(List.of(fixture.basicDump));
            return null;
        });
        window.awaitIdle();
        assertThat(onFx(() -> window.model.runs().runs().stream().map(RunItem::label).toList()))
                .as("an unlabelled dump takes the next letter name, as on the command line")
                .containsExactly("basic", "extended", "C");

        RunItem added = onFx(() -> window.model.runs().runs().get(2));
        assertThat(onFx(() -> window.model.runs().rename(added, "again"))).isTrue();
        assertThat(onFx(() -> window.model.runs().rename(added, "basic"))).as("labels are unique").isFalse();
        window.awaitIdle();
        assertThat(session.run("again")).isPresent();

        onFx(() -> {
            window.model.runs().runs().get(1).visibleProperty().set(false);
            return null;
        });
        window.awaitIdle();
        Coverage visible = session.coverage(List.of(session.run("basic").orElseThrow(), session.run("again").orElseThrow()));
        TreeItem<ProjectNode> file = onFx(() -> findTreeItem(window.view.projectView().tree().getRoot(), "fixture.c"));
        int fileId = visible.layout().findFile("fixture.c");
        assertThat(file.getValue().coveredLines()).as("hidden runs leave the default composition")
                .isEqualTo(visible.file(fileId).coveredLines())
                .isLessThan(session.coverage(session.runs()).file(fileId).coveredLines());

        onFx(() -> {
            window.model.runs().remove(window.model.runs().runs().get(2));
            return null;
        });
        window.awaitIdle();
        assertThat(session.runs()).extracting(SessionRun::label).containsExactly("basic", "extended");

        onFx(() -> {
            window.model.toggleTheme();
            return null;
        });
        window.awaitIdle(); // the settings are written in the background
        assertThat(new SettingsStore(config).load().theme()).isEqualTo("dark");
        assertThat(onFx(() -> window.scene.getStylesheets().get(0))).endsWith("dark.css");
    }

    @Test
    void hoverNamesTheLinesPointsTheirInlineChainsAndTheRunsThatHitThem() throws Exception {
        openInEditor("fixture.h");
        EditorView editor = onFx(window.view::selectedEditorView);
        CoverageLayout layout = session.layout();
        int header = layout.findFile("fixture.h");
        int line = layout.fileLineStart(header);
        int lineNumber = layout.lineNumber(line);
        String hover = onFx(() -> editor.model().detailsAt(lineNumber));

        assertThat(hover).startsWith("line " + lineNumber + " \u2014 ");
        var index = session.index();
        for (int point : layout.pointsOfLine(line)) {
            assertThat(hover).contains(String.format("0x%x", index.pointAddress(point)));
            for (int frame = index.chainStart(point) + 1; frame < index.chainEnd(point); frame++) {
                assertThat(hover).as("the inline chain of every point").contains("inlined into " + index.frameFunction(frame));
            }
        }
        List<String> hitting = session.runsHittingLine(line).stream().map(SessionRun::label).toList();
        assertThat(hover.substring(hover.lastIndexOf("\nruns: ") + 7).split(", ")).as("the runs that hit it")
                .extracting(run -> run.substring(0, run.indexOf(' '))).containsExactlyElementsOf(hitting);
        assertThat(onFx(() -> editor.model().detailsAt(1))).as("an uninstrumented line has nothing to say").isEmpty();
    }

    /**
     * {@code int v = clamp(x, 0, 50);}: the points of the inlined clamp() also belong to the call line, but its
     * figures and gutter count are its own points'; clamp's are told apart, hits per run, and the hover is on
     * screen. Expected figures come from the index's chains (innermost frame = the line's own code).
     */
    @Test
    void aCallLineCountsItsOwnPointsAndTellsTheInlinedCalleesApart() throws Exception {
        openInEditor("fixture.c");
        EditorView editor = onFx(window.view::selectedEditorView);
        CoverageLayout layout = session.layout();
        var index = session.index();
        Coverage union = session.coverage(session.runs());
        int file = layout.findFile("fixture.c");
        int line = -1;
        for (int l = layout.fileLineStart(file); l < layout.fileLineEnd(file) && line < 0; l++) {
            String text = java.nio.file.Files.readAllLines(fixture.directory.resolve("fixture.c")).get(layout.lineNumber(l) - 1);
            if (text.contains("clamp(x, 0, 50)")) {
                line = l;
            }
        }
        assertThat(line).as("scale()'s call of clamp()").isNotNegative();
        int lineNumber = layout.lineNumber(line);
        int own = 0;
        long ownHit = 0;
        long ownHits = 0;
        long calleePoints = 0;
        long calleeHit = 0;
        long calleeHits = 0;
        Map<String, long[]> perRun = new java.util.LinkedHashMap<>();
        for (int p : layout.pointsOfLine(line)) {
            boolean isOwn = index.frameLine(index.chainStart(p)) == lineNumber
                    && index.frameFile(index.chainStart(p)).endsWith("/fixture.c");
            if (!isOwn) {
                assertThat(index.frameFunction(index.chainStart(p))).isEqualTo("clamp");
            }
            boolean hit = union.points().isHit(p);
            long hits = hit ? union.points().hits(p) : 0;
            if (isOwn) {
                own++;
                ownHit += hit ? 1 : 0;
                ownHits += hits;
            } else {
                calleePoints++;
                calleeHit += hit ? 1 : 0;
                calleeHits += hits;
            }
            for (SessionRun run : session.runs()) {
                long runHits = run.points().isHit(p) ? run.points().hits(p) : 0;
                perRun.computeIfAbsent(run.label(), k -> new long[2])[isOwn ? 0 : 1] += runHits;
            }
        }
        assertThat(calleePoints).as("clamp() is inlined there").isPositive();
        assertThat(calleeHits).as("and ran").isPositive();

        String hover = onFx(() -> editor.model().detailsAt(lineNumber));
        String first = hover.lines().findFirst().orElseThrow();
        assertThat(first).endsWith(own > 0 ? ownHit + " of " + own + " points hit, " + ownHits + " hits"
                : "no point of its own");
        assertThat(hover).contains("\ninlined clamp(): " + calleeHit + " of " + calleePoints + " points hit, "
                + calleeHits + " hits");
        List<String> runs = new ArrayList<>();
        perRun.forEach((label, hits) -> {
            if (hits[0] + hits[1] > 0) {
                runs.add(label + " " + hits[0] + (hits[0] == 1 ? " hit" : " hits")
                        + (hits[1] > 0 ? " (+" + hits[1] + " inlined)" : ""));
            }
        });
        assertThat(hover).endsWith("\nruns: " + String.join(", ", runs));
        assertThat(onFx(() -> editor.model().content().hits(lineNumber))).as("the gutter's count").isEqualTo((int) ownHits);

        // The real hover, from the mouse over the line's text: shown whole, on screen.
        onFx(() -> {
            editor.area().showParagraphAtCenter(lineNumber - 1);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(3);
        javafx.geometry.Bounds text = onFx(() -> editor.area().getCharacterBoundsOnScreen(
                editor.area().getAbsolutePosition(lineNumber - 1, 2), editor.area().getAbsolutePosition(lineNumber - 1, 3))
                .orElseThrow());
        robot.moveTo(new javafx.geometry.Point2D(text.getCenterX(), text.getCenterY()));
        WaitForAsyncUtils.waitFor(Patience.SECONDS, java.util.concurrent.TimeUnit.SECONDS,
                () -> onFx(() -> editor.hover().isShowing()));
        javafx.geometry.Rectangle2D screen = onFx(() -> javafx.stage.Screen.getPrimary().getVisualBounds());
        WaitForAsyncUtils.waitFor(Patience.SECONDS, java.util.concurrent.TimeUnit.SECONDS, () -> onFx(() -> {
            var popup = editor.hover();
            return popup.getWidth() > 0 && screen.contains(popup.getX(), popup.getY(), popup.getWidth(), popup.getHeight());
        }));
        javafx.scene.control.Label shown = onFx(() -> (javafx.scene.control.Label) editor.hover().getContent().get(0));
        assertThat(onFx(shown::getText)).isEqualTo(hover);
        assertThat(onFx(() -> shown.getHeight() >= shown.prefHeight(shown.getWidth()) - 0.5))
                .as("the text is not cut short").isTrue();
    }

    @Test
    void theStartViewsEditorBuiltWhileOpeningIsTheOneItsFileGetsAfterwards() throws Exception {
        LaunchRequest request = new LaunchRequest(null, fixture.directory.resolve("fixture"), fixture.directory,
                List.of("basic=" + fixture.basicDump, "extended=" + fixture.extendedDump), null,
                "editor:fixture.c@loop_sum", false);
        window.openThenShowTheStartView(request);
        EditorContent atStart = onFx(() -> window.model.editors().selected().content());
        assertThat(atStart.path()).isEqualTo("fixture.c");

        onFx(() -> {
            window.model.editors().closeAll();
            window.model.editors().open("fixture.c");
            return null;
        });
        window.awaitIdle();
        EditorContent again = onFx(() -> window.model.editors().selected().content());
        // Taken once: opened again, the file is built by the editor, and shows what the start showed.
        assertThat(again).isNotSameAs(atStart);
        assertThat(again.lineCount()).isEqualTo(atStart.lineCount()).isPositive();
        assertThat(again.banner()).isEqualTo(atStart.banner());
        for (int line = 1; line <= atStart.lineCount(); line++) {
            assertThat(again.line(line)).as("text of line %d", line).isEqualTo(atStart.line(line));
            assertThat(again.mark(line)).as("mark of line %d", line).isEqualTo(atStart.mark(line));
            assertThat(again.hits(line)).as("hits of line %d", line).isEqualTo(atStart.hits(line));
            assertThat(again.details(line)).as("hover of line %d", line).isEqualTo(atStart.details(line));
            assertThat(again.comparison(line)).as("comparison mark of line %d", line).isEqualTo(atStart.comparison(line));
        }
    }

    /**
     * The start view's editor content is built on a worker while the FX thread takes nothing loading hands over, as
     * while the window is being built: the sources prepared and the file's lines, states and hover text built without
     * it. Built once the sources' result had reached the FX thread, it waited for the window to open. The start view
     * then paints it with the session's states.
     */
    @Test
    void theStartViewsEditorIsBuiltBeforeTheFxThreadIsHandedAnything() throws Exception {
        CountDownLatch builtAhead = new CountDownLatch(1);
        window.controller.whenStartEditorBuilt(path -> builtAhead.countDown());
        boolean builtWhileHeld = whileFxIsHeld(() -> {
            window.controller.open(startAtFixture(List.of("basic=" + fixture.basicDump,
                    "extended=" + fixture.extendedDump)));
            return builtAhead.await(Patience.SECONDS, TimeUnit.SECONDS);
        });
        assertThat(builtWhileHeld).as("fixture.c's content built while the FX thread was held").isTrue();
        showTheStartViewAtLoopSum();

        Session opened = onFx(window.controller::session);
        EditorView editor = onFx(window.view::selectedEditorView);
        assertThat(editor.model().path()).isEqualTo("fixture.c");
        assertThat(PaintedLines.of(editor)).isEqualTo(PaintedLines.expected(opened.coverage(opened.runs()), null, "fixture.c"));
    }

    /** Once the window is idle, shows the start view at fixture.c's loop_sum as the app does, and waits for it. */
    private void showTheStartViewAtLoopSum() throws Exception {
        window.awaitIdle();
        onFx(() -> {
            StartViews.show(StartView.parse("editor:fixture.c@loop_sum"), window.model, window.view);
            return null;
        });
        window.awaitIdle();
    }

    /**
     * Two sessions opened one after the other while the FX thread is held, both at fixture.c: both editors are built
     * ahead, and the window paints fixture.c with the second's states, never with the content built for the first
     * (whose result, waiting for the FX thread when the second was opened, is given up with it).
     */
    @Test
    void aSecondSessionOpenedBeforeTheFirstIsShownPaintsItsOwnStates() throws Exception {
        Semaphore builtAhead = new Semaphore(0);
        window.controller.whenStartEditorBuilt(path -> builtAhead.release());
        // The second is opened once the first's editor is built: the first's result already waits for the FX thread.
        boolean bothBuilt = whileFxIsHeld(() -> {
            window.controller.open(startAtFixture(List.of("basic=" + fixture.basicDump,
                    "extended=" + fixture.extendedDump)));
            boolean first = builtAhead.tryAcquire(Patience.SECONDS, TimeUnit.SECONDS);
            window.controller.open(startAtFixture(List.of("basic=" + fixture.basicDump)));
            return first && builtAhead.tryAcquire(Patience.SECONDS, TimeUnit.SECONDS);
        });
        assertThat(bothBuilt).as("both editors built while the FX thread was held").isTrue();
        showTheStartViewAtLoopSum();

        Session second = onFx(window.controller::session);
        assertThat(second.runs()).extracting(SessionRun::label).containsExactly("basic");
        Map<Integer, LineMark> expected = PaintedLines.expected(second.coverage(second.runs()), null, "fixture.c");
        Session both = fixture.newSession();
        assertThat(expected).as("the two sessions paint fixture.c differently")
                .isNotEqualTo(PaintedLines.expected(both.coverage(both.runs()), null, "fixture.c"));
        assertThat(PaintedLines.of(onFx(window.view::selectedEditorView))).isEqualTo(expected);
    }

    /**
     * A session still being read when a second one, opened after it, is shown: the window keeps the second. The first's
     * "extended" run comes through a named pipe, written only once the second is shown; on the old code the first then
     * finished reading and was shown over the second.
     */
    @Test
    void aSessionStillOpeningWhenALaterOneIsShownIsNeverShownOverIt(@TempDir Path pipes) throws Exception {
        Path pipe = pipes.resolve("extended.kcov");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).isZero();
        onFx(() -> {
            window.controller.open(startAtFixture(List.of("basic=" + fixture.basicDump, "extended=" + pipe)));
            window.controller.open(startAtFixture(List.of("basic=" + fixture.basicDump)));
            return null;
        });
        LiveDemoWindow.await(() -> onFx(() -> window.controller.session().runs().size() == 1), "the second session shown", 60);

        // Opened for reading and writing, the pipe takes the dump whether or not the first is still reading it: the
        // first, given up, may never open it. The area's count and its PCs, a few hundred bytes, fit its buffer.
        byte[] area = Files.readAllBytes(fixture.extendedDump);
        int used = (int) (ByteBuffer.wrap(area).order(ByteOrder.nativeOrder()).getLong() + 1) * Long.BYTES;
        try (FileChannel writer = FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            writer.write(ByteBuffer.wrap(area, 0, used));
        }
        window.awaitIdle();

        assertThat(onFx(() -> window.model.tasks().lastFailureProperty().get())).isNullOrEmpty();
        assertThat(onFx(window.controller::session).runs()).extracting(SessionRun::label).containsExactly("basic");
    }

    /** The fixture with {@code runs}, its window to open at fixture.c's loop_sum. */
    private LaunchRequest startAtFixture(List<String> runs) {
        return new LaunchRequest(null, fixture.directory.resolve("fixture"), fixture.directory, runs, null,
                "editor:fixture.c@loop_sum", false);
    }

    /**
     * Runs {@code work} on this thread while the FX thread is held (takes nothing handed to it), as it is to loading
     * while a window is being built, and returns its result once the FX thread goes on. Fails when the hold ended by
     * its limit before the work did: the work's result then no longer says what happened while the FX thread was held.
     */
    private static <T> T whileFxIsHeld(Callable<T> work) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> releasedByTheWork = new CompletableFuture<>();
        Platform.runLater(() -> {
            held.countDown();
            try {
                // outlasts the work's waits while held
                releasedByTheWork.complete(release.await(2 * Patience.SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                releasedByTheWork.complete(false);
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(Patience.SECONDS, TimeUnit.SECONDS)).as("the FX thread held").isTrue();
        T result;
        try {
            result = work.call();
        } finally {
            release.countDown();
        }
        assertThat(releasedByTheWork.get(Patience.SECONDS, TimeUnit.SECONDS))
                .as("the FX thread held until the work ended, not let go by the hold's limit").isTrue();
        return result;
    }

    @Test
    void theStartViewOpensAFileAtAFunction() throws Exception {
        onFx(() -> {
            StartViews.show(StartView.parse("editor:fixture.c@loop_sum"), window.model, window.view);
            return null;
        });
        window.awaitIdle();
        int loopSum = session.layout().functionFirstLine(session.layout().findFunction("loop_sum", "fixture.c"));
        assertThat(onFx(() -> window.model.editors().selected().path())).isEqualTo("fixture.c");
        assertThat(onFx(() -> window.model.editors().selected().caretLineProperty().get())).isEqualTo(loopSum);

        // What the window could not show is returned: a window warns of it, a snapshot fails on it.
        String lacking = onFx(() -> StartViews.show(StartView.parse("editor:fixture.h@no_such_function"), window.model,
                window.view));
        String misspelt = onFx(() -> StartViews.show(StartView.parse("editor:fixture.h@clampp"), window.model,
                window.view));
        window.awaitIdle();
        assertThat(lacking).isEqualTo("no function no_such_function in fixture.h (its functions: clamp)");
        assertThat(misspelt).isEqualTo("no function clampp in fixture.h (did you mean clamp?)");
        assertThat(onFx(() -> window.model.editors().selected().path())).isEqualTo("fixture.h");
    }

    @Test
    void aFileTheSourcesLackCanBeLocatedByHand() throws Exception {
        Path elsewhere = java.nio.file.Files.createDirectories(config.resolve("empty-tree"));
        window.show(session, new DirectorySources(elsewhere, Map.of()), "fixture without sources");
        openInEditor("fixture.c");
        EditorView editor = onFx(window.view::selectedEditorView);
        assertThat(onFx(() -> editor.model().content().lineCount())).isZero();
        assertThat(onFx(() -> editor.model().content().banner())).isEqualTo("fixture.c is not under " + elsewhere + ".");

        onFx(() -> {
            window.model.editors().locate(editor.model(), fixture.directory.resolve("fixture.c"));
            return null;
        });
        window.awaitIdle();
        assertThat(onFx(() -> editor.model().content().banner())).contains("located by hand");
        assertThat(PaintedLines.of(editor)).isEqualTo(PaintedLines.expected(session.coverage(session.runs()), null, "fixture.c"));
    }

    /**
     * Sources from a tarball (a new user's first run: the demo's from the linux-source tarball) are read on demand
     * while the rest is unpacked in the background, and the open editors are reloaded when the unpack ends. The
     * reload must not move what the user set: the caret, the selection and the scroll position (they jumped while
     * the user read hub.c). "Re-fetch sources" drops the unpacked tree and goes through the same reloads again.
     */
    @Test
    void reloadingTheEditorsWhenTheSourcesAreUnpackedKeepsCaretSelectionAndScroll() throws Exception {
        reloadKeepsWhatTheUserSet(true);
    }

    /**
     * A tarball not in name order has no file before the whole unpack has ended: on "Re-fetch sources" the editor
     * shows the file unavailable, then the file again, and what the user set before the gap is set again (it was
     * lost: the caret went to line 1).
     */
    @Test
    void reloadingAcrossTheGapOfATarballNotInNameOrderKeepsCaretSelectionAndScroll() throws Exception {
        reloadKeepsWhatTheUserSet(false);
    }

    /**
     * Shows fixture.c from a real tarball (in name order, as Debian's are, or with a file that sorts after it first),
     * selects, scrolls down and right (line 30 is made wider than the editor), re-fetches the sources and checks that
     * selection, first visible line, both scroll offsets, caret and anchor are what they were.
     */
    private void reloadKeepsWhatTheUserSet(boolean nameOrder) throws Exception {
        Requirements.tools("tar");
        Path top = java.nio.file.Files.createDirectories(config.resolve("tarball/fixture-src"));
        Map<String, String> wanted = new java.util.TreeMap<>();
        List<String> members = new ArrayList<>();
        for (int file = 0; file < session.layout().fileCount(); file++) {
            String path = session.layout().filePath(file);
            wanted.put(path, "");
            if (java.nio.file.Files.isRegularFile(fixture.directory.resolve(path))) {
                java.nio.file.Files.copy(fixture.directory.resolve(path), top.resolve(path));
                members.add("fixture-src/" + path);
            }
        }
        List<String> text = new ArrayList<>(java.nio.file.Files.readAllLines(top.resolve("fixture.c")));
        text.set(29, text.get(29) + " /* " + "wide ".repeat(120) + "*/");
        java.nio.file.Files.write(top.resolve("fixture.c"), text);
        java.nio.file.Files.writeString(top.resolve("zz-after-fixture.c"), "/* sorts after fixture.c */\n");
        members.add(0, "fixture-src/zz-after-fixture.c");
        Path tarball = config.resolve("fixture-src.tar.gz");
        List<String> command = new ArrayList<>(List.of("tar", "-czf", tarball.toString(), "-C", top.getParent().toString()));
        // In name order a file is found without reading the whole archive; else only once the unpack has ended.
        command.addAll(nameOrder ? List.of("--sort=name", "fixture-src") : members);
        Process tar = new ProcessBuilder(command).inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        TarballSources sources = new TarballSources(tarball, config.resolve("cache"), wanted);
        window.show(session, sources, "fixture from a tarball");
        assertThat(sources.isComplete()).as("unpacked").isTrue();
        openInEditor("fixture.c");
        EditorView editor = onFx(window.view::selectedEditorView);
        int lines = onFx(() -> editor.area().getParagraphs().size());
        assertThat(lines).isGreaterThan(60);

        // Line 52 column 13 to line 45 column 6 selected (the caret at its start, as a selection dragged upwards
        // leaves it), and the view scrolled away from the caret, down and right.
        onFx(() -> {
            editor.area().selectRange(51, 12, 44, 5);
            editor.area().showParagraphAtTop(20);
            editor.area().estimatedScrollXProperty().setValue(150.0);
            return null;
        });
        // The scroll is the next layout's: wait for it (a count of FX event rounds guessed how long that takes).
        WaitForAsyncUtils.waitFor(Patience.SECONDS, java.util.concurrent.TimeUnit.SECONDS,
                () -> onFx(() -> editor.area().firstVisibleParToAllParIndex() == 20
                        && editor.area().getEstimatedScrollX() == 150.0));
        EditorContent before = onFx(() -> editor.model().content());
        int[] place = onFx(() -> place(editor));
        assertThat(place[0]).as("first visible line").isEqualTo(20);
        String selected = onFx(() -> editor.area().getSelectedText());
        assertThat(selected).as("selected").isEqualTo(onFx(() -> editor.area().getText(44, 5, 51, 12))).contains("loop_sum");
        List<Integer> shownLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The unpack's lock is held, as by another KCOV Explorer unpacking the same tree, until the editor has shown
        // what it read before the unpack: the pass over this small tarball could otherwise write fixture.c before
        // the editor asks for it, and the editor then rightly went straight to the file (once in a full build). The
        // drop takes that lock too: it is taken once the drop has ended, the FX thread held until then, so the new
        // unpack (started from the drop's result, on the FX thread) comes after it.
        Path lockFile = unpackLock(config.resolve("cache/tarballs"));
        Path tree = lockFile.resolveSibling(lockFile.getFileName().toString().replaceFirst("\\.lock$", ""));
        CountDownLatch locked = new CountDownLatch(1);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            onFx(() -> {
                editor.model().contentProperty().addListener((obs, old, now) -> shownLines.add(now == null ? -1 : now.lineCount()));
                window.controller.refetchSources();
                return null;
            });
            Platform.runLater(() -> {
                try {
                    locked.await(Patience.SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            java.nio.channels.FileLock[] unpackHeld = {null};
            try {
                WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                        () -> !Files.exists(tree) && (unpackHeld[0] = tryLock(channel)) != null);
            } finally {
                locked.countDown();
            }
            WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> !shownLines.isEmpty());
            unpackHeld[0].release();
        }
        window.awaitIdle();

        assertThat(sources.isComplete()).as("unpacked again").isTrue();
        assertThat(shownLines).as("the file shown again, unavailable in between without name order").last().isEqualTo(lines);
        if (nameOrder) {
            assertThat(shownLines).doesNotContain(0);
        } else {
            assertThat(shownLines).contains(0);
        }
        assertThat(onFx(() -> editor.model().content())).as("the editor was reloaded").isNotSameAs(before);
        assertThat(onFx(() -> editor.area().getSelectedText())).as("selected").isEqualTo(selected);
        // Across the gap the scroll is set once the new text is laid out, a pulse later, and down and right need not
        // come in the same layout: wait for the whole place asserted below (when it never comes, the assertion says
        // where the editor is).
        try {
            WaitForAsyncUtils.waitFor(Patience.SECONDS, java.util.concurrent.TimeUnit.SECONDS,
                    () -> java.util.Arrays.equals(onFx(() -> place(editor)), place));
        } catch (java.util.concurrent.TimeoutException stillAtTheTop) {
            // reported by the assertion
        }
        assertThat(onFx(() -> place(editor))).as("first visible line, scroll down and right, caret, anchor")
                .containsExactly(place);
        assertThat(onFx(() -> editor.model().caretLineProperty().get())).isEqualTo(45);
        assertThat(onFx(() -> editor.model().caretColumnProperty().get())).isEqualTo(6);
    }

    /** The lock, or null while this JVM's drop or another process holds it. */
    private static java.nio.channels.FileLock tryLock(FileChannel channel) throws java.io.IOException {
        try {
            return channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException heldByThisJvm) {
            return null;
        }
    }

    /** The lock file beside the one tree unpacked under {@code trees}, which an unpack takes for its pass. */
    private static Path unpackLock(Path trees) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(trees)) {
            List<Path> locks = files.filter(file -> file.getFileName().toString().endsWith(".lock")).toList();
            assertThat(locks).as("the unpack's lock file in " + trees).hasSize(1);
            return locks.get(0);
        }
    }

    /** The first visible paragraph, the scroll offsets in pixels (down, right), the caret's and the anchor's offsets. */
    private static int[] place(EditorView editor) {
        return new int[] {editor.area().firstVisibleParToAllParIndex(),
                (int) Math.round(editor.area().getEstimatedScrollY()), (int) Math.round(editor.area().getEstimatedScrollX()),
                editor.area().getCaretPosition(), editor.area().getAnchor()};
    }

    private void openInEditor(String path) throws Exception {
        onFx(() -> window.model.editors().open(path));
        window.awaitIdle();
    }

    private static TreeItem<ProjectNode> findTreeItem(TreeItem<ProjectNode> item, String path) {
        if (item == null) {
            return null;
        }
        if (item.getValue().file() && item.getValue().path().equals(path)) {
            return item;
        }
        List<TreeItem<ProjectNode>> children = new ArrayList<>(item.getChildren());
        for (TreeItem<ProjectNode> child : children) {
            TreeItem<ProjectNode> found = findTreeItem(child, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
