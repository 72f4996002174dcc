package dev.kcovexplorer.app.ui.settings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kcovexplorer.kcov.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@link UiSettings} as JSON in the user's config directory
 * ({@code $XDG_CONFIG_HOME/kcov-explorer/window.json}, else {@code ~/.config/kcov-explorer/window.json}).
 * Writes are atomic ({@link AtomicFiles}), so a crash never leaves half a file. A damaged file is ignored (defaults), never fatal.
 *
 * <p>Jackson's streaming parser and generator, not an ObjectMapper: the window builder, the start's critical path, reads
 * this file, and there binding the record took 16-29 ms of its CPU (56 ms when the class-data archive had been recorded
 * without a settings file, so without Jackson's binding classes), streaming it 1 ms. The file is the one an ObjectMapper
 * with indented output wrote: an older build reads it, and this one reads theirs.
 */
public final class SettingsStore {
    /** Tests and portable installs point this system property at another directory. */
    public static final String DIRECTORY_PROPERTY = "kcov-explorer.config.dir";
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final boolean writable;

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

    /** The settings in the file; a field it lacks keeps its default, one it does not know is ignored. */
    public UiSettings load() {
        if (!Files.isRegularFile(file)) {
            return UiSettings.defaults();
        }
        try (JsonParser in = JSON.createParser(file.toFile())) {
            return read(in);
        } catch (IOException | NumberFormatException damaged) {
            return UiSettings.defaults();
        }
    }

    public void save(UiSettings settings) throws IOException {
        if (!writable) {
            return;
        }
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = JSON.createGenerator(bytes).useDefaultPrettyPrinter()) {
            write(settings, out);
        }
        AtomicFiles.write(file, bytes::writeTo);
    }

    private static UiSettings read(JsonParser in) throws IOException {
        UiSettings defaults = UiSettings.defaults();
        double x = defaults.x();
        double y = defaults.y();
        double width = defaults.width();
        double height = defaults.height();
        boolean maximized = defaults.maximized();
        double leftDivider = defaults.leftDivider();
        double runsDivider = defaults.runsDivider();
        double bottomDivider = defaults.bottomDivider();
        String theme = defaults.theme();
        List<String> recentSessions = defaults.recentSessions();
        expect(in, in.nextToken() == JsonToken.START_OBJECT, "an object");
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            in.nextToken();
            switch (field) {
                case "x" -> x = number(in);
                case "y" -> y = number(in);
                case "width" -> width = number(in);
                case "height" -> height = number(in);
                case "maximized" -> maximized = bool(in);
                case "leftDivider" -> leftDivider = number(in);
                case "runsDivider" -> runsDivider = number(in);
                case "bottomDivider" -> bottomDivider = number(in);
                case "theme" -> theme = in.currentToken() == JsonToken.VALUE_NULL ? null : text(in);
                case "recentSessions" -> recentSessions = texts(in);
                default -> in.skipChildren();
            }
        }
        expect(in, in.currentToken() == JsonToken.END_OBJECT, "a field or the object's end");
        return new UiSettings(x, y, width, height, maximized, leftDivider, runsDivider, bottomDivider, theme,
                recentSessions);
    }

    /** The fields in the record's order, an unplaced window's NaN as the string "NaN" (the generator's default). */
    private static void write(UiSettings settings, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeNumberField("x", settings.x());
        out.writeNumberField("y", settings.y());
        out.writeNumberField("width", settings.width());
        out.writeNumberField("height", settings.height());
        out.writeBooleanField("maximized", settings.maximized());
        out.writeNumberField("leftDivider", settings.leftDivider());
        out.writeNumberField("runsDivider", settings.runsDivider());
        out.writeNumberField("bottomDivider", settings.bottomDivider());
        out.writeStringField("theme", settings.theme());
        out.writeArrayFieldStart("recentSessions");
        for (String session : settings.recentSessions()) {
            out.writeString(session);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** A number, or a string that reads as one ("NaN", as written for an unplaced window). */
    private static double number(JsonParser in) throws IOException {
        if (in.hasToken(JsonToken.VALUE_NUMBER_INT) || in.hasToken(JsonToken.VALUE_NUMBER_FLOAT)) {
            return in.getDoubleValue();
        }
        return Double.parseDouble(text(in));
    }

    private static boolean bool(JsonParser in) throws IOException {
        expect(in, in.hasToken(JsonToken.VALUE_TRUE) || in.hasToken(JsonToken.VALUE_FALSE), "true or false");
        return in.getBooleanValue();
    }

    private static String text(JsonParser in) throws IOException {
        expect(in, in.currentToken() == JsonToken.VALUE_STRING, "a string");
        return in.getText();
    }

    private static List<String> texts(JsonParser in) throws IOException {
        List<String> texts = new ArrayList<>();
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            return texts;
        }
        expect(in, in.currentToken() == JsonToken.START_ARRAY, "an array");
        while (in.nextToken() != JsonToken.END_ARRAY) {
            texts.add(text(in));
        }
        return texts;
    }

    private static void expect(JsonParser in, boolean found, String expected) throws JsonParseException {
        if (!found) {
            throw new JsonParseException(in, "expected " + expected + ", found " + in.currentToken());
        }
    }
}
