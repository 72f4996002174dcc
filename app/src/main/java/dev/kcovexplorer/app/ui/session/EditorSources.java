package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.ui.task.Progress;
import java.io.IOException;
import java.util.Optional;

/**
 * Where the editors get source text from: a directory, or the Debian source package a session names.
 * Paths are relative to the kernel source root ("drivers/usb/core/hub.c").
 */
public interface EditorSources {
    /** Slow preparation (fetching and unpacking a package); runs off the FX thread. */
    default void prepare(Progress progress) throws IOException {
    }

    /** The file's text, or empty when these sources do not have it. */
    Optional<String> text(String path) throws IOException;

    /**
     * A warning for the editor banner: why the file is missing, or that it differs from the file the
     * kernel was built from. Null when there is nothing to warn about.
     */
    String banner(String path);

    /** For sessions without any sources. */
    EditorSources NONE = new EditorSources() {
        @Override
        public Optional<String> text(String path) {
            return Optional.empty();
        }

        @Override
        public String banner(String path) {
            return "No kernel sources: open with --source-root DIR to see " + path + ".";
        }
    };
}
