package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.settings.UiSettings;
import dev.kcovexplorer.app.ui.task.AfterPulses;
import dev.kcovexplorer.app.ui.task.TaskHandle;
import dev.kcovexplorer.app.ui.tree.ProjectTreeViewModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window's real start ({@link ExplorerApp#start}: view built off the FX thread, placeholder scene, real scene
 * right after, tool windows put aside and back once the start has shown what it was asked for) on Monocle's 1920×1200
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

    private ExplorerApp app;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void stopApp() throws Exception {
        if (app != null) {
            onFx(() -> {
                app.stop();
                return null;
            });
        }
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

    @Test
    void everyToolWindowHasItsContentAfterTheHandOver() throws Exception {
        Stage stage = start();
        List<Tab> tools = onFx(() -> ((TabPane) stage.getScene().getRoot().lookup(".tool-tabs")).getTabs());
        assertThat(tools).extracting(Tab::getText)
                .contains("Comparisons", "Coverage over Time").anyMatch(t -> t.startsWith("Live"))
                .anyMatch(t -> t.startsWith("Demo VM"));
        for (Tab tool : tools) {
            assertThat(onFx(tool::getContent)).as(tool.getText() + " has its content").isNotNull();
        }
    }

    /**
     * The tool windows behind the front one are left out of the window-builder thread's styling (the start's critical
     * path): each comes back unstyled, no control in it with a skin yet, in a pulse of its own, where the FX thread
     * styles it.
     */
    @Test
    void theToolWindowsBehindComeBackUnstyledEachInAPulseOfItsOwn() throws Exception {
        Map<String, List<String>> skinnedWhenBack = new ConcurrentHashMap<>();
        ToolWindowsBack back = new ToolWindowsBack((tool, content) ->
                skinnedWhenBack.put(tool.getText(), skinnedControls(content)));
        Stage stage;
        try {
            stage = start(back::watch);
        } finally {
            back.stop();
        }
        Map<String, Integer> backInPulse = back.inPulse;
        List<String> behind = onFx(() -> ((MainView) stage.getScene().getRoot()).toolTabsBehind().stream()
                .map(Tab::getText).toList());
        assertThat(backInPulse).as("every tool window behind came back").containsOnlyKeys(behind);
        assertThat(behind).hasSizeGreaterThanOrEqualTo(4);
        assertThat(skinnedWhenBack).allSatisfy((tool, skinned) ->
                assertThat(skinned).as(tool + "'s controls styled before it came back").isEmpty());
        assertThat(Set.copyOf(backInPulse.values())).as("the pulses the tool windows came back in: " + backInPulse)
                .hasSameSizeAs(backInPulse.values());
    }

    /**
     * A headless snapshot's tool windows behind the front one come back as a window's do, each in a pulse of its own:
     * all in one pulse, their layout was 36-48 ms of the FX thread in one gap.
     */
    @Test
    void aSnapshotsToolWindowsBehindComeBackEachInAPulseOfItsOwn() throws Exception {
        ToolWindowsBack back = new ToolWindowsBack((tool, content) -> { });
        CompletableFuture<Integer> ended = new CompletableFuture<>();
        Path png = config.resolve("snapshot.png");
        HeadlessSnapshot.endForTests = ended::complete;
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), png, "editor:drivers/usb/core/hub.c@hub_event", false));
        try {
            start(back::watch, false);
            assertThat(ended.get(120, TimeUnit.SECONDS)).as("the snapshot's exit code").isZero();
        } finally {
            back.stop();
            HeadlessSnapshot.endForTests = null;
            ExplorerLauncher.requestForTests(null);
        }
        assertThat(png).as("the snapshot written").isNotEmptyFile();
        Map<String, Integer> backInPulse = back.inPulse;
        assertThat(backInPulse).as("the tool windows behind that came back").hasSizeGreaterThanOrEqualTo(4);
        assertThat(Set.copyOf(backInPulse.values())).as("the pulses the tool windows came back in: " + backInPulse)
                .hasSameSizeAs(backInPulse.values());
    }

    /**
     * A tool window chosen while it is put aside (clicked before the start's tasks settle, or brought to the front as a
     * run series' curves are) has its content back before its turn, ahead of the others still waiting for theirs: not an
     * empty pane until then; and not in the call that chose it, whose own changes the next pulse lays out too (the
     * demo's run series and the chart put back with it: 52-64 ms of FX CPU in one gap), but in a gap of its own.
     */
    @Test
    void aToolWindowChosenBeforeItsTurnHasItsContentBeforeTheOthers() throws Exception {
        Map<String, Boolean> emptyBefore = new ConcurrentHashMap<>();
        Map<String, Boolean> backInTheChoosingCall = new ConcurrentHashMap<>();
        Map<String, Tab> chosen = new ConcurrentHashMap<>();
        Map<String, Long> othersBackThen = new ConcurrentHashMap<>();
        start(fresh -> fresh.sceneProperty().addListener((obs, old, scene) -> {
            if (scene != null && scene.getRoot() instanceof MainView view && chosen.isEmpty()) {
                List<Tab> behind = view.toolTabsBehind();
                Tab tool = behind.get(behind.size() - 1); // the last to come back in turn
                emptyBefore.put(tool.getText(), tool.getContent() == null);
                tool.getTabPane().getSelectionModel().select(tool);
                backInTheChoosingCall.put(tool.getText(), tool.getContent() != null);
                chosen.put(tool.getText(), tool);
                tool.contentProperty().addListener((o, was, content) -> othersBackThen.putIfAbsent(tool.getText(),
                        behind.stream().filter(other -> other != tool && other.getContent() != null).count()));
            }
        }));
        assertThat(emptyBefore).as("the tool window chosen was put aside then").containsValue(true).hasSize(1);
        assertThat(backInTheChoosingCall).as("its content back in the call that chose it").containsValue(false);
        assertThat(othersBackThen).as("the other tool windows back when the chosen one's content came back")
                .containsExactly(Map.entry(chosen.keySet().iterator().next(), 0L));
    }

    /**
     * The results held for the start view (the project tree's and the Coverage over Time curves') are handed over no
     * sooner than a pulse after the one that laid out the last tool window put back: right after that pulse,
     * PacedUiThread's one wait for a full gap could already be spent on an earlier tool window's pulse, and a held
     * result ran in the same gap as the last tool window's layout.
     */
    @Test
    void theHeldResultsComeAPulseAfterTheLastToolWindowsLayout() throws Exception {
        ToolWindowsBack back = new ToolWindowsBack((tool, content) -> { });
        AtomicInteger pulses = back.pulses;
        Map<String, Integer> heldResultInPulse = new ConcurrentHashMap<>();
        ExplorerApp.modelMadeForTests = made -> {
            made.project().rootProperty().addListener((obs, old, root) ->
                    heldResultInPulse.putIfAbsent("project tree", pulses.get()));
            made.series().curvesProperty().addListener((obs, old, curves) ->
                    heldResultInPulse.putIfAbsent("curves", pulses.get()));
        };
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), null, "editor:drivers/usb/core/hub.c@hub_event", false));
        try {
            start(back::watch);
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> heldResultInPulse.size() == 2);
        } catch (TimeoutException e) {
            throw new AssertionError("60 s after the start, the held results were not both handed over: "
                    + heldResultInPulse, e);
        } finally {
            back.stop();
            ExplorerApp.modelMadeForTests = made -> { };
            ExplorerLauncher.requestForTests(null);
        }
        Map<String, Integer> backInPulse = back.inPulse;
        int lastBack = backInPulse.values().stream().max(Integer::compare).orElseThrow();
        // Put back after pulse lastBack, laid out by pulse lastBack + 1: a pulse after that one passes first.
        assertThat(heldResultInPulse).as("the pulses the held results came in; the tool windows came back in "
                + backInPulse).allSatisfy((result, pulse) -> assertThat(pulse).as(result)
                .isGreaterThanOrEqualTo(lastBack + 2));
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
                releaseTree.await(120, TimeUnit.SECONDS);
                return null;
            }, nothing -> { }));
        };
        ExplorerLauncher.requestForTests(new LaunchRequest(CampaignFixture.DEMO.toAbsolutePath(), null, null,
                List.of(), null, "editor:" + hub + "@hub_event", false));
        try {
            start(fresh -> {
            }, false);
            try {
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> {
                    EditorViewModel editor = model.get() == null ? null : model.get().editors().find(hub);
                    return editor != null && editor.content() != null && editor.content().lineCount() > 0;
                }));
            } catch (TimeoutException e) {
                throw new AssertionError("60 s after the start, with the tree's task held back, hub.c is not shown", e);
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
     * started: the warning line names the view and the failure, the tool windows behind come back and the results
     * held for the view (the project tree's) are handed over. Unguarded, they stayed held for good.
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
            start(fresh -> {
            }, true);
            try {
                WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                        () -> onFx(() -> model.get().project().rootProperty().get() != null));
            } catch (TimeoutException e) {
                throw new AssertionError("60 s after the start, the project tree's held result was not handed over", e);
            }
            assertThat(onFx(() -> model.get().warningProperty().get()))
                    .isEqualTo("could not show --view " + view + ": a start view that fails");
        } finally {
            ExplorerApp.modelMadeForTests = made -> { };
            ExplorerApp.startViewForTests = start -> { };
            ExplorerLauncher.requestForTests(null);
        }
    }

    /** The controls under {@code node} that have a skin: styled (a control gets its skin in its first CSS pass). */
    private static List<String> skinnedControls(Node node) {
        return node.lookupAll("*").stream().filter(n -> n instanceof Control control && control.getSkin() != null)
                .map(n -> n.getClass().getSimpleName()).toList();
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
            return null;
        });
        app = null;
        return store.load();
    }

    /** Starts the app on a stage of its own and waits until it holds the real view with all tool windows back. */
    private Stage start() throws Exception {
        return start(fresh -> {
        });
    }

    /** The same, with {@code before} run on the FX thread with the stage just before the app starts on it. */
    private Stage start(Consumer<Stage> before) throws Exception {
        return start(before, true);
    }

    /** The same; {@code awaitHandOver}: waits until every tool window is back, else returns once the app started. */
    private Stage start(Consumer<Stage> before, boolean awaitHandOver) throws Exception {
        System.setProperty(SettingsStore.DIRECTORY_PROPERTY, config.toString());
        app = new ExplorerApp();
        Stage stage = onFx(() -> {
            Stage fresh = stages.hiddenAfterwards(new Stage());
            before.accept(fresh);
            app.start(fresh);
            return fresh;
        });
        if (!awaitHandOver) {
            return stage;
        }
        try {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> onFx(() -> stage.getScene() != null
                    && stage.getScene().getRoot() instanceof MainView view
                    && view.toolTabsBehind().stream().allMatch(tab -> tab.getContent() != null)));
        } catch (TimeoutException e) {
            throw new AssertionError("60 s after the start, the window does not hold the view with every tool "
                    + "window's content back", e);
        }
        // The tool windows go back last, once the start is idle: the pulse after that lays them out.
        awaitPulses(2);
        return stage;
    }

    /** Returns once the FX thread has gone through {@code count} more pulses and what they put off has run. */
    private static void awaitPulses(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            CountDownLatch passed = new CountDownLatch(1);
            onFx(() -> {
                AfterPulses.afterNext(passed::countDown);
                return null;
            });
            assertThat(passed.await(60, TimeUnit.SECONDS)).as("a pulse passed within 60 s").isTrue();
        }
    }

    /**
     * Counts the FX thread's pulses from the window's start and keeps the pulse each tool window behind the front one
     * came back in (its content set again), also handing that content to {@code onBack}.
     */
    private static final class ToolWindowsBack {
        final AtomicInteger pulses = new AtomicInteger();
        final Map<String, Integer> inPulse = new ConcurrentHashMap<>();
        private final BiConsumer<Tab, Node> onBack;
        private final AnimationTimer counter = new AnimationTimer() {
            @Override
            public void handle(long now) {
                pulses.incrementAndGet();
            }
        };

        ToolWindowsBack(BiConsumer<Tab, Node> onBack) {
            this.onBack = onBack;
        }

        /** On the FX thread, with the stage the window is about to be built in. */
        void watch(Stage fresh) {
            counter.start();
            fresh.sceneProperty().addListener((obs, old, scene) -> {
                if (scene != null && scene.getRoot() instanceof MainView view) {
                    for (Tab tool : view.toolTabsBehind()) {
                        tool.contentProperty().addListener((o, was, content) -> {
                            if (content != null) {
                                inPulse.put(tool.getText(), pulses.get());
                                onBack.accept(tool, content);
                            }
                        });
                    }
                }
            });
        }

        /**
         * Also when the window did not start: a timer left running asks for a pulse every frame for as long as this
         * test JVM runs the tests after it.
         */
        void stop() throws Exception {
            onFx(() -> {
                counter.stop();
                return null;
            });
        }
    }
}
