package dev.kcovexplorer.app.model.source;

import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Where the editors get source text from: a directory (a kernel tree or git checkout), a source tarball, or the
 * Debian source package a session names. Paths are relative to the kernel source root
 * ({@code drivers/usb/core/hub.c}). The slow methods belong on a background thread.
 */
public interface KernelSources {
    /** Finds the sources (locating or downloading a package); quick once they are on this machine. */
    default void prepare(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
    }

    /** Unpacks and checks every file the session needs, after {@link #prepare}: the long part, in the background. */
    default void unpackRest(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
    }

    /** The file's text, read on demand when it is not unpacked yet; empty when these sources do not have it. */
    Optional<String> text(String path, BooleanSupplier cancelled) throws IOException;

    /**
     * A warning for the editor banner, after {@link #text}: why the file is missing, or that it differs from the
     * file the kernel was built from. Null when there is nothing to warn about.
     */
    String banner(String path);

    /** For "Re-fetch sources": forget every copy made of these sources, so that {@link #prepare} gets them anew. */
    default void forgetCopies() throws IOException {
    }

    /** For sessions without any sources. */
    KernelSources NONE = new KernelSources() {
        @Override
        public Optional<String> text(String path, BooleanSupplier cancelled) {
            return Optional.empty();
        }

        @Override
        public String banner(String path) {
            return "No kernel sources: choose a source tree (File \u203A Choose source tree\u2026) or open with "
                    + "--source-root DIR to see " + path + ".";
        }
    };
}
