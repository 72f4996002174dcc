package dev.kcovexplorer.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.settings.UiSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's settings are written off the UI thread, the newest last, and the quit still writes the last
 * change. The UI thread here is this test's thread draining a queue ({@link QueuedUiThread}): whatever the view
 * model does on the UI thread happens inside the call or when the test drains, never behind its back.
 */
class SettingsSavingTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final QueuedMainModel window = new QueuedMainModel();

    @Test
    void aThemeSwitchLeavesTheWriteAndItsFailureToTheBackground() throws Exception {
        // A regular file where the settings' directory should be: every write fails, even as root.
        Path notADirectory = Files.writeString(dir.resolve("config"), "a file");
        MainViewModel model = window.open(notADirectory);

        model.setTheme("dark");

        assertThat(model.warningProperty().get()).as("a write failing inside the UI thread's call").isEmpty();
        window.ui.drainUntil(() -> !model.warningProperty().get().isEmpty());
        assertThat(model.warningProperty().get()).startsWith("cannot save window settings to "
                + notADirectory.resolve("window.json"));
        assertThat(model.themeProperty().get()).isEqualTo("dark");
    }

    @Test
    void manyChangesEndWithTheLastOnDiskAndNoTemporaryFile() throws Exception {
        Path config = dir.resolve("config");
        MainViewModel model = window.open(config);

        for (int i = 1; i <= 60; i++) {
            model.setTheme(i % 2 == 0 ? "dark" : "light");
            model.rememberLayout(i, 2 * i, 1000 + i, 700, false, 0.2, 0.3, 0.7);
        }
        window.ui.drainUntilIdle(window.tasks);

        UiSettings saved = new SettingsStore(config).load();
        assertThat(saved.theme()).isEqualTo("dark");
        assertThat(saved.x()).isEqualTo(60);
        assertThat(saved.width()).isEqualTo(1060);
        try (Stream<Path> files = Files.list(config)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("window.json");
        }
    }

    @Test
    void theQuitWritesTheLayoutReportedAsTheWindowHid() throws Exception {
        Path config = dir.resolve("config");
        MainViewModel model = window.open(config);
        model.setTheme("dark");

        // As the window does: the layout as it hides, then the quit, with no UI event between them.
        model.rememberLayout(17, 23, 1234, 777, true, 0.25, 0.35, 0.75);
        model.close();

        UiSettings saved = new SettingsStore(config).load();
        assertThat(saved.theme()).isEqualTo("dark");
        assertThat(saved.x()).isEqualTo(17);
        assertThat(saved.width()).isEqualTo(1234);
        assertThat(saved.maximized()).isTrue();
        assertThat(model.warningProperty().get()).isEmpty();
    }
}
