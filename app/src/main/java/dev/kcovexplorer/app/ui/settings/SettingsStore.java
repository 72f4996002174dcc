package dev.kcovexplorer.app.ui.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kcovexplorer.kcov.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes {@link UiSettings} as JSON in the user's config directory
 * ({@code $XDG_CONFIG_HOME/kcov-explorer/window.json}, else {@code ~/.config/kcov-explorer/window.json}).
 * Writes are atomic ({@link AtomicFiles}), so a crash never leaves half a file. A damaged file is ignored (defaults), never fatal.
 */
public final class SettingsStore {
    /** Tests and portable installs point this system property at another directory. */
    public static final String DIRECTORY_PROPERTY = "kcov-explorer.config.dir";

    private final Path file;
    private final boolean writable;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SettingsStore(Path directory) {
        this(directory.resolve("window.json"), true);
    }

    private SettingsStore(Path file, boolean writable) {
        this.file = file;
        this.writable = writable;
    }

    /** The same file, read but never written: {@link #save} does nothing. */
    public SettingsStore readOnly() {
        return new SettingsStore(file, false);
    }

    public static SettingsStore forUser() {
        String override = System.getProperty(DIRECTORY_PROPERTY);
        if (override != null && !override.isBlank()) {
            return new SettingsStore(Path.of(override));
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new SettingsStore(base.resolve("kcov-explorer"));
    }

    public Path file() {
        return file;
    }

    public UiSettings load() {
        if (!Files.isRegularFile(file)) {
            return UiSettings.defaults();
        }
        try {
            return json.readValue(file.toFile(), UiSettings.class);
        } catch (IOException damaged) {
            return UiSettings.defaults();
        }
    }

    public void save(UiSettings settings) throws IOException {
        if (!writable) {
            return;
        }
        Files.createDirectories(file.getParent());
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(settings);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot encode window settings: " + e.getOriginalMessage(), e);
        }
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
