package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.settings.UiSettings;
import dev.kcovexplorer.app.ui.task.AfterPulses;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The JavaFX application: builds the view model and view, restores the window layout, opens what the
 * command line asked for, and in snapshot mode writes the PNG and exits. Started by {@link ExplorerLauncher}.
 */
public final class ExplorerApp extends Application {
    /** The pulses {@code --report-stalls} watches after the start's last work: what that work changed is laid out. */
    private static final int QUIET_PULSES = 5;
    /** For tests: sees the model before the start submits its tasks (one holds a task back). */
    static volatile Consumer<MainViewModel> modelMadeForTests = made -> { };
    /** For tests: runs just before a real window shows its start view (one makes showing it fail). */
    static volatile Consumer<StartView> startViewForTests = start -> { };
    private MainViewModel model;
    /** A run nobody watches: what ends it when the FX thread throws. Null for a window someone watches. */
    private UnattendedFailure unattended;

    /** Ends the application with {@code code}: what a snapshot or a failed start exits with. */
    private static void exit(int code) {
        ExplorerLauncher.setExitCode(code);
        Platform.exit();
    }

    @Override
    public void start(Stage stage) {
        LaunchRequest request = ExplorerLauncher.request();
        // Watched from here: the first show is part of what the user waits through.
        PulseWatch watch = request.reportStalls() ? PulseWatch.begin() : null;
        DemoRequest demo = ExplorerLauncher.demo();
        boolean headless = demo == null ? request.headless() : ExplorerLauncher.headless();
        if (demo == null ? headless : DemoLoop.handsFree(request, demo)) {
            unattended = UnattendedFailure.installHere(line -> {
                System.err.println("kcov-explorer: " + line);
                exit(1);
            });
        }
        WindowPlacement.Screens screens = WindowPlacement.Screens.now();
        // The model, the view and its scene are built on a thread of their own: a scene may be made and changed
        // off the FX thread until its window shows, and in a fresh JVM building this one is ~150 ms of class
        // loading, initialising and constructing the FX thread would otherwise spend before the window appears.
        Thread builder = new Thread(() -> {
            try {
                Built built = build(request, demo, headless, screens);
                Platform.runLater(() -> show(stage, built, request, headless, watch));
            } catch (RuntimeException | Error e) {
                Platform.runLater(() -> {
                    System.err.println("kcov-explorer: cannot build the window: " + e);
                    exit(1);
                });
            }
        }, "window-builder");
        builder.setDaemon(true);
        builder.start();
    }

    /** {@code start}: the view a window opens at once the session is read (null: none, a demo, a snapshot). */
    private record Built(MainViewModel model, SessionController sessions, MainView view, Scene scene,
                         Rectangle2D placement, PacedUiThread uiThread, StartView start, HeldChanges toolWindows) {
    }

    private static Built build(LaunchRequest request, DemoRequest demo, boolean headless,
                               WindowPlacement.Screens screens) {
        // A headless snapshot reads the user's theme but leaves the settings alone: its 1600×1000 frame
        // is no place for the next real window.
        SettingsStore store = headless ? SettingsStore.forUser().readOnly() : SettingsStore.forUser();
        PacedUiThread uiThread = new PacedUiThread();
        BackgroundTasks tasks = new BackgroundTasks(uiThread, 2);
        MainViewModel model = demo == null ? new MainViewModel(tasks, store)
                : new MainViewModel(tasks, store, DemoVm.withCacheDirectories(demo.options()));
        modelMadeForTests.accept(model);
        // Decided here once, for the hold and for load, which releases what is held once this view is shown.
        StartView start = demo == null && !headless && request.hasInputs() && request.view() != null
                ? StartView.parse(request.view()) : null;
        if (start != null) {
            // Until the start view is shown (load): done before its editor content, the tree's and the curves' results
            // took the FX thread's gaps ahead of it.
            tasks.holdResults(StartViews.aside(start));
            StartViews.scopeChart(start, model);
        }
        SessionController sessions = new SessionController(model, false);
        // The session loads meanwhile, from here: its first composition is computed as soon as the session has been
        // read, beside the view's building (it began after the view's first CSS pass, 0.25-0.4 s after the read
        // ended at load 7-8). Its progress and result reach the FX thread once the window holds the real scene and
        // has styled and laid it out (attach).
        if (request.hasInputs()) {
            sessions.open(request, ExplorerLauncher.takeReadAhead());
        }
        MainView view = new MainView(model, sessions);
        HeldChanges toolWindows = new HeldChanges(uiThread::executeAlone);
        view.makeToolWindowsInGapsOf(toolWindows);
        if (start == null || !StartViews.holdsToolWindows(start)) {
            toolWindows.release();
        }
        UiSettings settings = model.settings();
        // The window's place is fitted to the screens before the view is laid out at the size it shows at (a
        // maximized window's, its screen's): laid out at another size and then resized, the left pane (not resized
        // with the window) kept its pixels and the dividers their distortion.
        Rectangle2D placement = headless ? new Rectangle2D(0, 0, 1600, 1000) : screens.place(settings);
        Rectangle2D shown = headless ? placement : screens.shownAt(settings);
        double width = shown.getWidth();
        double height = shown.getHeight();
        Scene scene = new Scene(view, width, height);
        Themes.apply(scene, model.themeProperty().get());
        model.themeProperty().addListener((obs, old, theme) -> Themes.apply(scene, theme));
        // Styled and laid out here too, as a scene may be until its window shows: the first CSS pass over
        // the whole window (skins created, fonts looked up, cells made) is 300 ms and more of a fresh
        // JVM's time, which the FX thread would spend in the window's first pulse. The menu bar alone
        // goes in on the FX thread: its skin asks the desktop there whether it has a global menu bar. The tool windows
        // behind the front one are not made yet (ToolTab).
        VBox top = (VBox) view.getTop();
        top.getChildren().remove(view.menuBarNode());
        view.applyCss();
        view.resize(width, height);
        view.layout();
        // Before the window shows, while the session loads: styling a scene off the FX thread while the FX thread
        // styles another is not safe (a covered line then went unpainted), so the throwaway editor is laid out while
        // no window is up.
        WindowWarmUp.run(model.themeProperty().get());
        // The start view's sources and editor content are prepared from here on, not beside the building: it slowed it.
        sessions.windowBuilt();
        return new Built(model, sessions, view, scene, placement, uiThread, start, toolWindows);
    }

    private void show(Stage stage, Built built, LaunchRequest request, boolean headless, PulseWatch watch) {
        // The menu bar's skin is made and styled in a pulse of its own, before the window's first: the two together
        // took 45-55 ms of the FX thread.
        MainView view = built.view();
        ((VBox) view.getTop()).getChildren().add(0, view.menuBarNode());
        view.menuBarNode().applyCss();
        AfterPulses.afterNext(() -> showWindow(stage, built, request, headless, watch));
    }

    private void showWindow(Stage stage, Built built, LaunchRequest request, boolean headless, PulseWatch watch) {
        model = built.model();
        MainView view = built.view();
        Scene scene = built.scene();
        // The window is made and shown with an empty scene of the theme's colour: showing restyles and lays out the
        // whole scene it holds, which with the real one took 53-62 ms of the FX thread in one call, the native window
        // 18-34 ms of it. The real scene follows right after, styled by the next pulse. The window's size is set, never
        // taken from a scene, so that putting the real one in does not measure it there and then.
        Scene placeholder = new Scene(new Pane(), scene.getWidth(), scene.getHeight());
        Themes.apply(placeholder, model.themeProperty().get());
        stage.setScene(placeholder);
        stage.titleProperty().bind(model.titleProperty());
        if (headless) {
            stage.setWidth(scene.getWidth());
            stage.setHeight(scene.getHeight());
        } else {
            WindowPlacement.restore(stage, built.placement(), model.settings().maximized());
        }
        stage.setOnHidden(e -> {
            double[] dividers = view.dividerPositions();
            model.rememberLayout(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized(),
                    dividers[0], dividers[1], dividers[2]);
        });
        stage.show();
        attach(stage, built, request, headless, watch);
    }

    /**
     * The real scene goes in right after the window shows, in the same call: showing took the FX thread's CPU in that
     * call (the native window, the placeholder styled), the real scene is styled and laid out by the next pulse, so
     * the two are apart without a frame waited for in between.
     */
    private void attach(Stage stage, Built built, LaunchRequest request, boolean headless, PulseWatch watch) {
        MainView view = built.view();
        Scene scene = built.scene();
        stage.setScene(scene);
        view.installShortcuts();
        built.toolWindows().releaseOnUserInput(scene);
        // What loading handed over (the session's cards, its tree) waits until the pulse that styles, lays out and
        // renders the real scene has passed (30-35 ms of the FX thread): then it runs, a share between two pulses
        // (PacedUiThread), never after a pulse that filled its gap. The start view is asked for at once: it waits for
        // loading's results.
        built.uiThread().leaveFullGaps(scene);
        AfterPulses.afterNext(() -> {
            built.uiThread().open();
            load(request, built, watch);
        });
    }

    private void load(LaunchRequest request, Built built, PulseWatch watch) {
        SessionController sessions = built.sessions();
        MainView view = built.view();
        Scene scene = built.scene();
        Runnable reported = () -> {
            if (watch != null) {
                report(watch.finish());
            }
        };
        // Two pulses later: the view's last change (the start view's editor content) can be handed over just before
        // the start settles, and is laid out by the next pulse; the held results and tool windows (HeldChanges) come a
        // pulse later still: an editor's first lines take two pulses (EditorView), and the second half's layout and a
        // tool window's return (11-13 ms) fell in one gap, 53 ms of FX CPU, when the start settled a pulse after the
        // content came. The stall line waits for all the start scheduled: every task done, the unwaited ones too, and
        // a few pulses more. A line printed a pulse after the start settled left out a pulse of up to 51 ms of FX CPU
        // right after it.
        Runnable shown = () -> AfterPulses.after(2, () -> {
            if (watch != null) {
                // When the view the user waits for is on the screen: the stall line comes later (it waits for the
                // quiet after the rest of the start), so timings of the first paint take this one.
                System.err.println("kcov-explorer: the view is shown");
            }
            AfterPulses.afterNext(() -> {
                model.tasks().releaseResults();
                built.toolWindows().release();
                if (watch != null) {
                    watch.finishWhenQuiet(model.tasks(), QUIET_PULSES, ExplorerApp::report);
                }
            });
        });
        DemoRequest demo = ExplorerLauncher.demo();
        if (demo != null) {
            DemoLoop loop = new DemoLoop(model, view, scene, request, demo, sessions);
            if (unattended != null) {
                unattended.endWith(loop::fail);
            }
            loop.start();
        } else if (request.headless()) {
            HeadlessSnapshot snapshot = new HeadlessSnapshot(model, view, scene, request, reported, ExplorerApp::exit);
            unattended.endWith(snapshot::fail);
            snapshot.start();
        } else if (built.start() != null) {
            // The start view opens once what it shows is applied, not the rest: the editor's and the Live window's
            // need neither the project tree's result (its task the last to end, 34 ms of FX CPU) nor the Coverage over
            // Time curves' (27 ms; their tool window often behind): their results are held (build) until the view is
            // shown, then come in pulses of their own. The stall line still waits for them.
            StartView start = built.start();
            Set<String> aside = StartViews.aside(start);
            model.tasks().whenSettledBut(aside, () -> {
                // A start view that fails to show (a bug) says so and the start goes on: escaping here, it left the
                // tree's and the curves' results held for good and no stall line.
                try {
                    startViewForTests.accept(start);
                    String notShown = StartViews.show(start, model, view);
                    if (notShown != null) {
                        model.setWarning(notShown);
                    }
                } catch (RuntimeException failure) {
                    model.setWarning("could not show --view " + request.view() + ": "
                            + BackgroundTasks.describe(failure));
                }
                model.tasks().whenSettledBut(aside, shown);
            });
        } else {
            model.tasks().whenSettled(shown);
        }
    }

    private static void report(PulseWatch.Stall worst) {
        System.err.println("kcov-explorer: worst FX-thread stall from the window's start to the view shown: " + worst);
    }

    @Override
    public void stop() {
        if (model != null) {
            model.close();
        }
    }
}
