package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;

import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.testing.Patience;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.robot.Robot;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The real main window in a TestFX stage, with its view model and session controller, for GUI tests. */
final class WindowHarness {
    final MainViewModel model;
    final MainView view;
    final SessionController controller;
    final Scene scene;
    final Stage stage;

    private WindowHarness(MainViewModel model, MainView view, SessionController controller, Scene scene, Stage stage) {
        this.model = model;
        this.view = view;
        this.controller = controller;
        this.scene = scene;
        this.stage = stage;
    }

    /** Opens the window at {@code width}×{@code height}; settings live in {@code configDir}, not the user's home. */
    static WindowHarness open(Path configDir, double width, double height) throws Exception {
        return open(configDir, width, height, null);
    }

    /** As {@link #open(Path, double, double)}, with the Demo VM tool window on {@code demoVm} (null: the default). */
    static WindowHarness open(Path configDir, double width, double height, DemoVm demoVm) throws Exception {
        Stage stage = FxToolkit.registerPrimaryStage();
        return onFx(() -> {
            BackgroundTasks tasks = BackgroundTasks.onFxThread();
            MainViewModel model = demoVm == null ? new MainViewModel(tasks, new SettingsStore(configDir))
                    : new MainViewModel(tasks, new SettingsStore(configDir), demoVm);
            SessionController controller = new SessionController(model);
            MainView view = new MainView(model, controller);
            Scene scene = new Scene(view, width, height);
            Themes.apply(scene, model.themeProperty().get());
            model.themeProperty().addListener((obs, old, theme) -> Themes.apply(scene, theme));
            stage.setScene(scene);
            stage.setWidth(width);
            stage.setHeight(height);
            stage.show();
            stage.toFront();
            view.installShortcuts();
            return new WindowHarness(model, view, controller, scene, stage);
        });
    }

    /** Shows {@code session} as opening it does, with its sources from {@code texts}, and waits until idle. */
    void show(Session session, KernelSources texts, String title) throws Exception {
        onFx(() -> {
            controller.show(session, texts, title);
            return null;
        });
        awaitIdle();
    }

    /**
     * Opens {@code request}'s session and waits until all its work is done, then shows its start view and waits again.
     * The app's start shows the view before the tree's and the curves' results have come; tests here want both settled.
     */
    void openThenShowTheStartView(LaunchRequest request) throws Exception {
        onFx(() -> {
            controller.open(request);
            return null;
        });
        awaitIdle();
        onFx(() -> {
            StartViews.show(StartView.parse(request.view()), model, view);
            return null;
        });
        awaitIdle();
    }

    /** Waits until no background task runs, then for the FX events queued behind them. */
    void awaitIdle() throws Exception {
        CountDownLatch idle = new CountDownLatch(1);
        Platform.runLater(() -> model.tasks().whenIdle(idle::countDown));
        if (!idle.await(Patience.SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("background tasks still running after " + Patience.SECONDS + " s: "
                    + onFx(() -> model.tasks().messageProperty().get()));
        }
        WaitForAsyncUtils.waitForFxEvents(3);
    }

    /**
     * Closes {@code window}, then {@code server} (the agent its Live window may be connected to), each when there is
     * one: the server also when closing the window failed, or its threads and port outlive the test.
     */
    static void close(WindowHarness window, AutoCloseable server) throws Exception {
        try {
            if (window != null) {
                window.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * Closes the window as a user would, the mouse leaving it first, and lets go of it: the JVM's later tests run on the
     * same TestFX stage. JavaFX's tooltips keep the node under the mouse in a static field until the mouse leaves it,
     * the stage would keep the scene and its close handler, and TestFX keeps every event fired on its registered stage
     * (their targets this window's nodes) until a stage is registered again. Each kept a closed window, with its
     * session, on the heap of the JVM's later tests.
     */
    void close() throws Exception {
        onFx(() -> {
            Rectangle2D screen = Screen.getPrimary().getBounds();
            new Robot().mouseMove(screen.getMaxX() - 1, screen.getMaxY() - 1);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        onFx(() -> {
            model.close();
            stage.hide();
            stage.setOnCloseRequest(null);
            stage.setScene(null);
            return null;
        });
        FxToolkit.registerPrimaryStage();
    }
}
