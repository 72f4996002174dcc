package dev.kcovexplorer.app.model.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kcovexplorer.kcov.Printable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One value of a session manifest with its place in it ({@code runs[2].coveredPoints}): typed reads that
 * refuse anything else with a {@link SessionFormatException} naming the file, the field, what it should
 * hold and what it holds.
 */
final class ManifestField {
    private final Path file;
    private final String path;
    private final JsonNode node;

    private ManifestField(Path file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    static ManifestField root(Path file, JsonNode node) {
        return new ManifestField(file, "", node);
    }

    ManifestField get(String name) {
        JsonNode child = node != null && node.isObject() ? node.get(name) : null;
        return new ManifestField(file, path.isEmpty() ? name : path + "." + name, child);
    }

    String path() {
        return path;
    }

    /** Present and not null. */
    boolean present() {
        return node != null && !node.isNull();
    }

    ManifestField object() throws SessionFormatException {
        if (!present() || !node.isObject()) {
            throw fail("an object");
        }
        return this;
    }

    /** The object's members, in order; an absent field is an empty object. */
    Map<String, ManifestField> members() throws SessionFormatException {
        Map<String, ManifestField> members = new LinkedHashMap<>();
        if (!present()) {
            return members;
        }
        object();
        node.fields().forEachRemaining(e -> members.put(e.getKey(), new ManifestField(file,
                path + "[\"" + e.getKey() + "\"]", e.getValue())));
        return members;
    }

    List<ManifestField> array() throws SessionFormatException {
        if (!present() || !node.isArray()) {
            throw fail("an array");
        }
        List<ManifestField> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(new ManifestField(file, path + "[" + i + "]", node.get(i)));
        }
        return items;
    }

    String string() throws SessionFormatException {
        if (!present() || !node.isTextual()) {
            throw fail("a string");
        }
        return node.asText();
    }

    /** A string, or null when absent or null. */
    String optionalString() throws SessionFormatException {
        return present() ? string() : null;
    }

    /** A string satisfying {@code valid} (described by {@code expected}), or null when absent. */
    String optionalString(Predicate<String> valid, String expected) throws SessionFormatException {
        String value = optionalString();
        if (value != null && !valid.test(value)) {
            throw fail(expected);
        }
        return value;
    }

    /** One of {@code allowed}, or {@code fallback} when absent. */
    String oneOf(String fallback, List<String> allowed) throws SessionFormatException {
        String value = optionalString();
        if (value == null) {
            return fallback;
        }
        if (!allowed.contains(value)) {
            throw fail("one of " + String.join(", ", allowed));
        }
        return value;
    }

    long count() throws SessionFormatException {
        if (!present() || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw fail("a non-negative integer");
        }
        return node.asLong();
    }

    /** A non-negative integer that fits an int. */
    int intCount() throws SessionFormatException {
        long value = count();
        if (value > Integer.MAX_VALUE) {
            throw fail("a non-negative integer up to " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    long count(long fallback) throws SessionFormatException {
        return present() ? count() : fallback;
    }

    boolean bool(boolean fallback) throws SessionFormatException {
        if (!present()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw fail("true or false");
        }
        return node.asBoolean();
    }

    /** A finite number, 0 or more. */
    double nonNegativeNumber() throws SessionFormatException {
        if (!present() || !node.isNumber() || !(node.asDouble() >= 0) || Double.isInfinite(node.asDouble())) {
            throw fail("a number, 0 or more");
        }
        return node.asDouble();
    }

    /** A number from 0 to 1. */
    double fraction() throws SessionFormatException {
        if (!present() || !node.isNumber() || !(node.asDouble() >= 0 && node.asDouble() <= 1)) {
            throw fail("a number from 0 to 1");
        }
        return node.asDouble();
    }

    SessionFormatException fail(String expected) {
        String got;
        if (node == null || node.isMissingNode()) {
            got = "nothing";
        } else {
            got = node.toString();
            got = got.length() > 60 ? got.substring(0, 60) + "…" : got;
        }
        return new SessionFormatException(file, SessionFile.MANIFEST + ": " + Printable.of(path) + ": expected "
                + expected + ", found " + Printable.of(got));
    }
}
