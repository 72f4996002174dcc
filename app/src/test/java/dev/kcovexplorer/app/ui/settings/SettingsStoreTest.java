package dev.kcovexplorer.app.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** The file earlier builds wrote with an ObjectMapper, byte for byte: they read what this one writes, and back. */
    @Test
    void writesAndReadsTheFileAnObjectMapperWrites() throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        SettingsStore store = new SettingsStore(dir);
        for (UiSettings settings : List.of(UiSettings.defaults(), UiSettings.defaults().withTheme("dark")
                .withRecent("/a b.kcovx").withRecent("/\u00e9\"q\".kcovx").withLayout(-10.5, 20, 1200, 800, true, 0.3, 0.4, 0.6))) {
            store.save(settings);
            assertThat(Files.readAllBytes(store.file())).asString().isEqualTo(mapper.writeValueAsString(settings));
            Files.write(store.file(), mapper.writeValueAsBytes(settings));
            assertThat(store.load()).isEqualTo(settings);
        }
    }

    /** A file of an older build, which had fewer fields, or of a newer one, which has more. */
    @Test
    void aFieldTheFileLacksKeepsItsDefaultAndOneItDoesNotKnowIsSkipped() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        Files.writeString(store.file(), "{\"width\": 1200, \"panels\": {\"left\": [1, {\"x\": 2}]}, \"theme\": \"dark\","
                + " \"pinned\": [\"a\"]}");
        UiSettings defaults = UiSettings.defaults();
        assertThat(store.load()).isEqualTo(defaults.withTheme("dark").withLayout(defaults.x(), defaults.y(), 1200,
                defaults.height(), defaults.maximized(), defaults.leftDivider(), defaults.runsDivider(),
                defaults.bottomDivider()));
    }

    @Test
    void aFieldOfTheWrongKindIsADamagedFile() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        for (String json : List.of("{\"width\": \"wide\", \"theme\": \"dark\"}", "{\"maximized\": \"yes\", \"theme\": \"dark\"}",
                "{\"theme\": \"dark\", \"recentSessions\": [\"/a.kcovx\", 2]}", "[\"dark\"]", "")) {
            Files.writeString(store.file(), json);
            assertThat(store.load()).as(json).isEqualTo(UiSettings.defaults());
        }
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
