package dev.kcovexplorer.app.model.report;

import dev.kcovexplorer.app.model.source.SourceRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where reports get source text: a path relative to the kernel source root to the file's text, when
 * available. {@code SourceProvider::text} fits too.
 */
@FunctionalInterface
public interface SourceTexts {
    SourceTexts NONE = path -> Optional.empty();

    Optional<String> text(String path);

    /**
     * Files under {@code root}, and only those: a path that leads out of it (absolute elsewhere, {@code ..},
     * a symbolic link) is absent, like an unreadable one.
     */
    static SourceTexts directory(Path root) {
        return path -> SourceRoot.file(root, path).map(file -> {
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
