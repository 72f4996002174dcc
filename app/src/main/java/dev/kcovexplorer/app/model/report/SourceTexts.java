package dev.kcovexplorer.app.model.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where reports get source text: a path relative to the kernel source root (or an absolute one for
 * files outside it) to the file's text, when available. {@code SourceProvider::text} fits too.
 */
@FunctionalInterface
public interface SourceTexts {
    SourceTexts NONE = path -> Optional.empty();

    Optional<String> text(String path);

    /** Files under {@code root} (relative paths) and absolute paths as they are; unreadable = absent. */
    static SourceTexts directory(Path root) {
        return path -> {
            Path file = path.startsWith("/") ? Path.of(path) : root.resolve(path);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try {
                return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
