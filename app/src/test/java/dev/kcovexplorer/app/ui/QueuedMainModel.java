package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The window's model on a {@link QueuedUiThread}, its background tasks handing their results to that queue; both closed
 * after each test: a field {@code @RegisterExtension final QueuedMainModel window = new QueuedMainModel();}.
 */
final class QueuedMainModel implements AfterEachCallback {
    final QueuedUiThread ui = new QueuedUiThread();
    final BackgroundTasks tasks = new BackgroundTasks(ui::post, 2);
    private MainViewModel model;

    /** The model, its settings kept in {@code settingsDirectory}. */
    MainViewModel open(Path settingsDirectory) {
        model = new MainViewModel(tasks, new SettingsStore(settingsDirectory));
        return model;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (model != null) {
            // Left open, the model's demo VM kept its live collections ticking for the rest of the test JVM.
            model.close();
        }
        tasks.close();
    }
}
