package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.settings.UiSettings;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The JavaFX application: builds the view model and view, restores the window layout, opens what the
 * command line asked for, and in snapshot mode writes the PNG and exits. Started by {@link ExplorerLauncher}.
 */
public final class ExplorerApp extends Application {
    private MainViewModel model;

    @Override
    public void start(Stage stage) {
        LaunchRequest request = ExplorerLauncher.request();
        DemoRequest demo = ExplorerLauncher.demo();
        boolean headless = demo == null ? request.headless() : ExplorerLauncher.headless();
        // A headless snapshot reads the user's theme but leaves the settings alone: its 1600×1000 frame
        // is no place for the next real window.
        SettingsStore store = headless ? SettingsStore.forUser().readOnly() : SettingsStore.forUser();
        model = demo == null ? new MainViewModel(BackgroundTasks.onFxThread(), store)
                : new MainViewModel(BackgroundTasks.onFxThread(), store, DemoVm.withCacheDirectories(demo.options()));
        SessionController sessions = new SessionController(model);
        MainView view = new MainView(model, sessions);

        UiSettings settings = model.settings();
        double width = headless ? 1600 : settings.width();
        double height = headless ? 1000 : settings.height();
        Scene scene = new Scene(view, width, height);
        Themes.apply(scene, model.themeProperty().get());
        model.themeProperty().addListener((obs, old, theme) -> Themes.apply(scene, theme));
        stage.setScene(scene);
        stage.titleProperty().bind(model.titleProperty());
        if (!headless) {
            WindowPlacement.restore(stage, settings);
        }
        stage.setOnHidden(e -> {
            double[] dividers = view.dividerPositions();
            model.rememberLayout(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized(),
                    dividers[0], dividers[1], dividers[2]);
        });
        stage.show();
        view.installShortcuts();
        // Loading starts once the empty window is on screen: its first CSS and layout pass is the app
        // starting, and the window appears at once instead of after the first load event.
        afterFirstPulse(() -> load(request, sessions, view, scene));
    }

    private void load(LaunchRequest request, SessionController sessions, MainView view, Scene scene) {
        PulseWatch watch = request.reportStalls() ? PulseWatch.begin() : null;
        Runnable shown = () -> {
            if (watch != null) {
                System.err.println("kcov-explorer: worst FX-thread stall from loading to the view shown: " + watch.finish());
            }
        };
        if (request.hasInputs()) {
            sessions.open(request);
        }
        DemoRequest demo = ExplorerLauncher.demo();
        if (demo != null) {
            new DemoLoop(model, view, scene, request, demo, sessions).start();
        } else if (request.headless()) {
            new HeadlessSnapshot(model, view, scene, request, shown).start();
        } else if (request.hasInputs() && request.view() != null) {
            StartView start = StartView.parse(request.view());
            model.tasks().whenIdle(() -> {
                StartViews.show(start, model, view);
                model.tasks().whenIdle(shown);
            });
        } else {
            model.tasks().whenIdle(shown);
        }
    }

    private static void afterFirstPulse(Runnable action) {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                Platform.runLater(action); // after this pulse's layout and render
            }
        }.start();
    }

    @Override
    public void stop() {
        if (model != null) {
            model.close();
        }
    }
}
