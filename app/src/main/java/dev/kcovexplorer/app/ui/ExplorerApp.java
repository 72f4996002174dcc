package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.settings.UiSettings;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import javafx.application.Application;
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
        BackgroundTasks tasks = BackgroundTasks.onFxThread();
        model = new MainViewModel(tasks, SettingsStore.forUser());
        SessionController sessions = new SessionController(model);
        MainView view = new MainView(model, sessions);

        UiSettings settings = model.settings();
        double width = request.headless() ? 1600 : settings.width();
        double height = request.headless() ? 1000 : settings.height();
        Scene scene = new Scene(view, width, height);
        Themes.apply(scene, model.themeProperty().get());
        model.themeProperty().addListener((obs, old, theme) -> Themes.apply(scene, theme));
        stage.setScene(scene);
        stage.titleProperty().bind(model.titleProperty());
        if (!request.headless()) {
            if (!Double.isNaN(settings.x()) && !Double.isNaN(settings.y())) {
                stage.setX(settings.x());
                stage.setY(settings.y());
            }
            stage.setMaximized(settings.maximized());
        }
        stage.setOnHidden(e -> {
            double[] dividers = view.dividerPositions();
            model.rememberLayout(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized(),
                    dividers[0], dividers[1], dividers[2]);
        });
        stage.show();
        view.installShortcuts();

        if (request.hasInputs()) {
            sessions.open(request);
        }
        if (request.headless()) {
            new HeadlessSnapshot(model, view, scene, request).start();
        } else if (request.hasInputs() && request.view() != null) {
            StartView start = StartView.parse(request.view());
            tasks.whenIdle(() -> start.apply(model, view));
        }
    }

    @Override
    public void stop() {
        if (model != null) {
            model.close();
        }
    }
}
