package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.ui.comparisons.ComparisonSource;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.settings.UiSettings;
import dev.kcovexplorer.app.ui.task.AfterPulses;
import dev.kcovexplorer.app.ui.task.TaskHandle;
import dev.kcovexplorer.app.ui.tree.ProjectTreeViewModel;
import dev.kcovexplorer.testing.Patience;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window's real start ({@link ExplorerApp#start}: view built off the FX thread, placeholder scene, real scene
 * right after, the tool windows behind the front one made when first chosen) on Monocle's 1920×1200
 * screen, with the settings in a temporary directory instead of the user's.
 */
class ExplorerStartTest {
    private static final double LEFT = 0.25;
    private static final double RUNS = 0.4;
    private static final double BOTTOM = 0.6;

    @RegisterExtension
    final ShownStages stages = new ShownStages();

    @TempDir
    Path config;

    /** The windows of the tests run so far, to be let go of once stopped and hidden. */
    private static final List<WeakReference<Parent>> STOPPED = new CopyOnWriteArrayList<>();

    private ExplorerApp app;
    private Stage stage;

    /**
     * Every test's window is let go of once the app stopped and its stage hid, as {@link #stopApp} does: what still
     * held one (a caret blinking in a hidden window) carried a window per test into the next ones, 4 of 7 here. The
     * newest is left out: something of the toolkit or the test engine still holds the last window shown (which was not
     * found); what matters across tests is that windows do not pile up.
     */
    @AfterAll
    static void noStoppedWindowButTheNewestIsHeld() throws Exception {
        List<WeakReference<Parent>> older = STOPPED.subList(0, Math.max(0, STOPPED.size() - 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
        while (older.stream().anyMatch(window -> window.get() != null)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stopped windows still reachable " + Patience.SECONDS
                        + " s after the last test, by the order of "
                        + "their tests: " + IntStream.range(0, older.size()).filter(i -> older.get(i).get() != null)
                        .boxed().toList() + " of " + STOPPED.size());
            }
            System.gc();
            Thread.sleep(50);
        }
    }

    @AfterEach
    void stopApp() throws Exception {
        if (app != null) {
            onFx(() -> {
                app.stop();
                STOPPED.add(new WeakReference<>(stage.getScene().getRoot()));
                return null;
            });
        }
        app = null; // the test instance may outlive its test: it holds nothing of the window
        stage = null;
        System.clearProperty(SettingsStore.DIRECTORY_PROPERTY);
    }

    @Test
    void aSavedWindowLargerThanTheScreenKeepsItsDividersShownAndSaved() throws Exception {
        Rectangle2D screen = onFx(() -> Screen.getPrimary().getVisualBounds());
        SettingsStore store = new SettingsStore(config);
        store.save(UiSettings.defaults().withLayout(screen.getMinX() + 100, screen.getMinY() + 50,
                screen.getWidth() + 700, screen.getHeight() + 400, false, LEFT, RUNS, BOTTOM));

        Stage stage = start();
        MainView view = (MainView) stage.getScene().getRoot();
        double[] shown = onFx(view::dividerPositions);
        assertThat(onFx(() -> screen.contains(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight())))
                .as("the window fits the screen").isTrue();
        assertDividersShown(shown);

        UiSettings saved = closeAndLoad(stage, store);
        assertThat(saved.width()).isLessThanOrEqualTo(screen.getWidth());
        assertThat(saved.leftDivider()).as("left divider saved").isCloseTo(LEFT, within(0.005));
        assertThat(saved.runsDivider()).as("runs/project divider saved").isCloseTo(RUNS, within(0.005));
        assertThat(saved.bottomDivider()).as("editors/tool windows divider saved").isCloseTo(BOTTOM, within(0.005));
    }

    /**
     * A window saved maximized is laid out at the size it shows at, its screen's: laid out at its saved size first
     * and then maximized, the left pane kept its pixels (a left divider saved at 0.25 showed at about half that).
     */
    @Test
    void aWindowSavedMaximizedKeepsItsDividersShownAndSaved() throws Exception {
        Rectangle2D screen = onFx(() -> Screen.getPrimary().getVisualBounds());
        SettingsStore store = new SettingsStore(config);
        store.save(UiSettings.defaults().withLayout(screen.getMinX() + 100, screen.getMinY() + 50,
                screen.getWidth() / 2, screen.getHeight() / 2, true, LEFT, RUNS, BOTTOM));

        Stage stage = start();
        MainView view = (MainView) stage.getScene().getRoot();
        assertThat(onFx(stage::isMaximized)).as("maximized").isTrue();
        assertThat(onFx(() -> stage.getScene().getWidth())).as("shown at the screen's width")
                .isCloseTo(screen.getWidth(), within(1.0));
        double[] shown = onFx(view::dividerPositions);
        assertDividersShown(shown);

        UiSettings saved = closeAndLoad(stage, store);
        assertThat(saved.maximized()).as("saved maximized").isTrue();
        assertThat(saved.leftDivider()).as("left divider saved").isCloseTo(LEFT, within(0.005));
        assertThat(saved.runsDivider()).as("runs/project divider saved").isCloseTo(RUNS, within(0.005));
        assertThat(saved.bottomDivider()).as("editors/tool windows divider saved").isCloseTo(BOTTOM, within(0.005));
    }

    /**
     * The start makes no tool window behind the front one (ToolTab): the demo at hub.c settles with Comparisons, Live
     * and Demo VM never made, and Coverage over Time, which the run series' result brings to the front during the
     * start, made then, not in the call that chose it, and drawing the session's curves.
     */
    @Test
    void theStartMakesOnlyTheToolWindowItsRunSeriesChooses() throws Exception {
        AtomicReference<MainViewModel> model = new AtomicReference<>();
        Map<String, Boolean> madeInTheChoosingCall = new ConcurrentHashMap<>();
        ExplorerApp.modelMadeForTests = model::set;
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), null, "editor:drivers/usb/core/hub.c@hub_event", false));
        Stage stage;
        try {
            stage = start(fresh -> fresh.sceneProperty().addListener((obs, old, scene) -> {
                if (scene != null && scene.getRoot() instanceof MainView view) {
                    Tab series = tool(view, "Coverage over Time");
                    series.selectedProperty().addListener((o, was, selected) ->
                            madeInTheChoosingCall.put(series.getText(), series.getContent() != null));
                }
            }));
            awaitSettled(model.get());
        } finally {
            ExplorerApp.modelMadeForTests = made -> { };
            ExplorerLauncher.requestForTests(null);
        }
        MainView view = (MainView) stage.getScene().getRoot();
        for (String behind : List.of("Comparisons", "Live", "Demo VM")) {
            assertThat(onFx(() -> tool(view, behind).getContent())).as(behind + " once the start settled").isNull();
        }
        Tab series = onFx(() -> tool(view, "Coverage over Time"));
        assertThat(onFx(series::isSelected)).as("the curves in front").isTrue();
        assertThat(madeInTheChoosingCall).as("Coverage over Time's view in the call that chose it")
                .containsExactly(Map.entry("Coverage over Time", false));
        assertThat(onFx(series::getContent)).isSameAs(onFx(view::seriesView));
        int curves = onFx(() -> model.get().series().curvesProperty().get().size());
        assertThat(curves).as("the demo's curves").isPositive();
        assertThat(onFx(() -> view.seriesView().chart().getData().size())).as("the curves drawn").isEqualTo(curves);
    }

    /**
     * The tool window the demo's run series chooses (Coverage over Time, its curves held until the start view shows) is
     * made after the start editor's content has come, not in the gaps before the composition that content waits for.
     */
    @Test
    void theToolWindowTheRunSeriesChoosesIsMadeAfterTheStartEditorsContent() throws Exception {
        String hub = "drivers/usb/core/hub.c";
        AtomicReference<MainViewModel> model = new AtomicReference<>();
        List<Boolean> hubShownWhenPutIn = new CopyOnWriteArrayList<>();
        ExplorerApp.modelMadeForTests = model::set;
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), null, "editor:" + hub + "@hub_event", false));
        try {
            start(fresh -> fresh.sceneProperty().addListener((obs, old, scene) -> {
                if (scene != null && scene.getRoot() instanceof MainView view) {
                    tool(view, "Coverage over Time").contentProperty().addListener((o, was, content) -> {
                        EditorViewModel editor = model.get().editors().find(hub);
                        hubShownWhenPutIn.add(editor != null && editor.content() != null
                                && editor.content().lineCount() > 0);
                    });
                }
            }));
            awaitSettled(model.get());
        } finally {
            ExplorerApp.modelMadeForTests = made -> { };
            ExplorerLauncher.requestForTests(null);
        }
        assertThat(hubShownWhenPutIn).as("whether hub.c's content had come when Coverage over Time's view was put in")
                .containsExactly(true);
    }

    /**
     * A tool window the user clicks while the start view still waits (here for a task held back; on a first run, for
     * the kernel sources' fetch) is made and shown then, not held with the ones the unattended start chooses.
     */
    @Test
    void aToolWindowTheUserClicksBeforeTheStartViewIsShownAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<TaskHandle<?>> heldBack = new AtomicReference<>();
        ExplorerApp.modelMadeForTests = made -> heldBack.set(made.tasks().submit("Held back", progress -> {
            release.await(2 * Patience.SECONDS, TimeUnit.SECONDS); // outlasts the test's waits while it holds
            return null;
        }, nothing -> { }));
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), null, "editor:drivers/usb/core/hub.c@hub_event", false));
        try {
            Stage stage = start();
            MainView view = onFx(() -> (MainView) stage.getScene().getRoot());
            Tab live = onFx(() -> tool(view, "Live"));
            Node header = onFx(() -> view.lookupAll(".tab").stream()
                    .filter(tab -> tab instanceof Parent parent && parent.lookup(".tab-label") instanceof Label label
                            && label.getText().startsWith("Live"))
                    .findFirst().orElseThrow(() -> new AssertionError("no tab header for the Live window")));
            new FxRobot().clickOn(header);
            try {
                WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                        () -> onFx(() -> live.getContent() != null));
            } catch (TimeoutException e) {
                throw new AssertionError(Patience.SECONDS
                        + " s after the Live window was clicked, before the start view, it is empty", e);
            }
            assertThat(heldBack.get().isFinished()).as("the start still waiting for the task held back").isFalse();
        } finally {
            release.countDown();
            ExplorerApp.modelMadeForTests = made -> { };
            ExplorerLauncher.requestForTests(null);
        }
    }

    /**
     * A tool window first chosen after the start settled, and after a second session was opened in the window, is
     * made then and shows that session: the Comparisons window's rows are the comparison sites of the session open
     * when it is chosen.
     */
    @Test
    void aToolWindowFirstChosenAfterASecondSessionShowsThatSession() throws Exception {
        AtomicReference<MainViewModel> model = new AtomicReference<>();
        ExplorerApp.modelMadeForTests = model::set;
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), null, "editor:drivers/usb/core/hub.c@hub_event", false));
        Stage stage;
        try {
            stage = start();
            awaitSettled(model.get());
        } finally {
            ExplorerApp.modelMadeForTests = made -> { };
            ExplorerLauncher.requestForTests(null);
        }
        MainView view = (MainView) stage.getScene().getRoot();
        Tab comparisons = onFx(() -> tool(view, "Comparisons"));
        Object firstTree = onFx(() -> model.get().project().rootProperty().get());
        onFx(() -> {
            view.openSession(CampaignFixture.DEMO.toAbsolutePath());
            return null;
        });
        try {
            WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> onFx(() -> {
                Object tree = model.get().project().rootProperty().get();
                return tree != null && tree != firstTree;
            }));
        } catch (TimeoutException e) {
            throw new AssertionError(Patience.SECONDS + " s after opening a second session it is not the window's", e);
        }
        awaitSettled(model.get());
        assertThat(onFx(comparisons::getContent)).as("Comparisons before it is chosen").isNull();

        Boolean madeInTheChoosingCall = onFx(() -> {
            comparisons.getTabPane().getSelectionModel().select(comparisons);
            return comparisons.getContent() != null;
        });
        assertThat(madeInTheChoosingCall).as("made in the call that chose it").isFalse();
        try {
            WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                    () -> onFx(() -> comparisons.getContent() != null));
        } catch (TimeoutException e) {
            throw new AssertionError(Patience.SECONDS + " s after it was chosen, the Comparisons window has no view", e);
        }
        assertThat(onFx(comparisons::getContent)).isSameAs(onFx(view::comparisonsView));
        String summary = onFx(() -> model.get().comparisons().summaryProperty().get());
        assertThat(summary).as("the second session's comparison runs, as the model sums them up")
                .isNotEqualTo(ComparisonSource.NONE.summary());
        assertThat(onFx(() -> view.comparisonsView().lookupAll(".tool-subtitle").stream()
                .map(label -> ((Label) label).getText()).toList())).as("what the Comparisons window says").contains(summary);
    }

    /**
     * The editor a window opens at (the demo at hub.c's hub_event) opens once what it shows is applied, not when every
     * start task has ended: a task under the project tree's key held back (a slow tree, whose result the editor does
     * not show) leaves hub.c shown at hub_event with its content; the tree's task still runs then.
     */
    @Test
    void theStartEditorShowsWhileTheTreesTaskIsHeldBack() throws Exception {
        String hub = "drivers/usb/core/hub.c";
        CountDownLatch releaseTree = new CountDownLatch(1);
        AtomicReference<MainViewModel> model = new AtomicReference<>();
        AtomicReference<TaskHandle<?>> tree = new AtomicReference<>();
        ExplorerApp.modelMadeForTests = made -> {
            model.set(made);
            tree.set(made.tasks().submitLatest(ProjectTreeViewModel.TASK_KEY, "Building the project tree", progress -> {
                releaseTree.await(2 * Patience.SECONDS, TimeUnit.SECONDS); // outlasts the test's waits meanwhile
                return null;
            }, nothing -> { }));
        };
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), null, "editor:" + hub + "@hub_event", false));
        try {
            start(fresh -> {
            }, false);
            try {
                WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> onFx(() -> {
                    EditorViewModel editor = model.get() == null ? null : model.get().editors().find(hub);
                    return editor != null && editor.content() != null && editor.content().lineCount() > 0;
                }));
            } catch (TimeoutException e) {
                throw new AssertionError(Patience.SECONDS
                        + " s after the start, with the tree's task held back, hub.c is not shown", e);
            }
            EditorViewModel editor = onFx(() -> model.get().editors().find(hub));
            int hubEvent = onFx(() -> model.get().functions().all().stream()
                    .filter(row -> row.name().equals("hub_event") && row.path().equals(hub)).findFirst().orElseThrow()
                    .line());
            assertThat(onFx(() -> editor.caretLineProperty().get())).as("the caret at hub_event's line").isEqualTo(hubEvent);
            assertThat(tree.get().isFinished()).as("the tree's task still held back").isFalse();
        } finally {
            releaseTree.countDown();
            ExplorerApp.modelMadeForTests = made -> { };
            ExplorerLauncher.requestForTests(null);
        }
    }

    /**
     * A start view that fails to show (here made to throw just before it is shown) does not leave the window half
     * started: the warning line names the view and the failure, the results held for the view (the project tree's)
     * are handed over, and so is the tool window the run series chose meanwhile (Coverage over Time, held until the
     * editor shows: {@link HeldChanges}). Unguarded, they stayed held for good.
     */
    @Test
    void aStartViewThatFailsToShowSaysSoAndTheStartGoesOn() throws Exception {
        String view = "editor:drivers/usb/core/hub.c@hub_event";
        AtomicReference<MainViewModel> model = new AtomicReference<>();
        ExplorerApp.modelMadeForTests = model::set;
        ExplorerApp.startViewForTests = start -> {
            throw new IllegalStateException("a start view that fails");
        };
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), null, view, false));
        try {
            Stage stage = start(fresh -> {
            }, true);
            try {
                WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                        () -> onFx(() -> model.get().project().rootProperty().get() != null));
            } catch (TimeoutException e) {
                throw new AssertionError(Patience.SECONDS
                        + " s after the start, the project tree's held result was not handed over", e);
            }
            MainView shown = (MainView) stage.getScene().getRoot();
            try {
                WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                        () -> onFx(() -> tool(shown, "Coverage over Time").getContent() != null));
            } catch (TimeoutException e) {
                throw new AssertionError(Patience.SECONDS
                        + " s after the start, Coverage over Time, chosen by the run series, has no view",
                        e);
            }
            assertThat(onFx(() -> model.get().warningProperty().get()))
                    .isEqualTo("could not show --view " + view + ": a start view that fails");
        } finally {
            ExplorerApp.modelMadeForTests = made -> { };
            ExplorerApp.startViewForTests = start -> { };
            ExplorerLauncher.requestForTests(null);
        }
    }

    private static void assertDividersShown(double[] shown) {
        assertThat(shown[0]).as("left divider shown").isCloseTo(LEFT, within(0.005));
        assertThat(shown[1]).as("runs/project divider shown").isCloseTo(RUNS, within(0.005));
        assertThat(shown[2]).as("editors/tool windows divider shown").isCloseTo(BOTTOM, within(0.005));
    }

    /** Closes the window as the user does (the app saves its layout when it stops) and reads what it saved. */
    private UiSettings closeAndLoad(Stage stage, SettingsStore store) throws Exception {
        onFx(() -> {
            stage.hide();
            app.stop();
            STOPPED.add(new WeakReference<>(stage.getScene().getRoot()));
            return null;
        });
        app = null;
        return store.load();
    }

    /** Starts the app on a stage of its own and waits until it holds the real view, laid out. */
    private Stage start() throws Exception {
        return start(fresh -> {
        });
    }

    /** The same, with {@code before} run on the FX thread with the stage just before the app starts on it. */
    private Stage start(Consumer<Stage> before) throws Exception {
        return start(before, true);
    }

    /** The same; {@code awaitView}: waits until the window holds the real view, else returns once the app started. */
    private Stage start(Consumer<Stage> before, boolean awaitView) throws Exception {
        System.setProperty(SettingsStore.DIRECTORY_PROPERTY, config.toString());
        app = new ExplorerApp();
        Stage stage = onFx(() -> {
            Stage fresh = stages.hiddenAfterwards(new Stage());
            before.accept(fresh);
            app.start(fresh);
            return fresh;
        });
        this.stage = stage;
        if (!awaitView) {
            return stage;
        }
        try {
            WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> onFx(() -> stage.getScene() != null
                    && stage.getScene().getRoot() instanceof MainView));
        } catch (TimeoutException e) {
            throw new AssertionError(Patience.SECONDS + " s after the start, the window does not hold the view", e);
        }
        awaitPulses(2);
        return stage;
    }

    /**
     * Returns once the project tree's result has come (the start holds it until its view is shown), no task of
     * {@code model} runs, and two pulses more have laid out what came last.
     */
    private static void awaitSettled(MainViewModel model) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                    () -> onFx(() -> model.project().rootProperty().get() != null));
        } catch (TimeoutException e) {
            throw new AssertionError(Patience.SECONDS + " s after the start, the project tree's result has not come", e);
        }
        CountDownLatch idle = new CountDownLatch(1);
        onFx(() -> {
            model.tasks().whenIdle(idle::countDown);
            return null;
        });
        assertThat(idle.await(Patience.SECONDS, TimeUnit.SECONDS))
                .as("the start's tasks done within " + Patience.SECONDS + " s").isTrue();
        awaitPulses(2);
    }

    /** The tool window below the editors whose title starts with {@code title}. */
    private static Tab tool(MainView view, String title) {
        return ((TabPane) view.lookup(".tool-tabs")).getTabs().stream().filter(tab -> tab.getText().startsWith(title))
                .findFirst().orElseThrow(() -> new AssertionError("no tool window " + title));
    }

    /** Returns once the FX thread has gone through {@code count} more pulses and what they put off has run. */
    private static void awaitPulses(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            CountDownLatch passed = new CountDownLatch(1);
            onFx(() -> {
                AfterPulses.afterNext(passed::countDown);
                return null;
            });
            assertThat(passed.await(Patience.SECONDS, TimeUnit.SECONDS))
                    .as("a pulse passed within " + Patience.SECONDS + " s").isTrue();
        }
    }
}
