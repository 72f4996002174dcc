package dev.kcovexplorer.app.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsLayoutThemeAndRecentSessionsWithoutLeavingTemporaryFiles() throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("kcov-explorer"));
        UiSettings saved = UiSettings.defaults().withTheme("dark").withRecent("/a.kcovx").withRecent("/b.kcovx")
                .withRecent("/a.kcovx").withLayout(10, 20, 1200, 800, true, 0.3, 0.4, 0.6);
        store.save(saved);
        assertThat(store.load()).isEqualTo(saved);
        assertThat(store.load().recentSessions()).containsExactly("/a.kcovx", "/b.kcovx");
        try (var files = Files.list(store.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("window.json");
        }
    }

    @Test
    void unplacedWindowSurvivesTheRoundTrip() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        store.save(UiSettings.defaults());
        assertThat(store.load().x()).isNaN();
    }

    @Test
    void damagedFileFallsBackToDefaults() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        Files.writeString(store.file(), "{\"width\": ");
        assertThat(store.load()).isEqualTo(UiSettings.defaults());
    }

    @Test
    void recentListIsCapped() {
        UiSettings settings = UiSettings.defaults();
        for (int i = 0; i < 15; i++) {
            settings = settings.withRecent("/s" + i + ".kcovx");
        }
        assertThat(settings.recentSessions()).hasSize(UiSettings.MAX_RECENT).startsWith("/s14.kcovx");
    }
}
