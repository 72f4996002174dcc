package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;

import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
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

    /** Waits until no background task runs, then for the FX events queued behind them. */
    void awaitIdle() throws Exception {
        CountDownLatch idle = new CountDownLatch(1);
        Platform.runLater(() -> model.tasks().whenIdle(idle::countDown));
        if (!idle.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("background tasks still running after 60 s: " + onFx(() -> model.tasks().messageProperty().get()));
        }
        WaitForAsyncUtils.waitForFxEvents(3);
    }

    void close() throws Exception {
        onFx(() -> {
            model.close();
            stage.hide();
            return null;
        });
    }
}
