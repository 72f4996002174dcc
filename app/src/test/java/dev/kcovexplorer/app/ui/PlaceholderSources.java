package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kernel sources as numbered lines of placeholder text, for window tests on an index without its C files:
 * the editor paints by line and needs only the file's length; the figures come from the index.
 */
final class PlaceholderSources {
    private PlaceholderSources() {
    }

    /** {@code path} below {@code root}, {@code lines} lines long. */
    static void write(Path root, String path, int lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            text.append("/* line ").append(i).append(" */\n");
        }
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** {@code path} below {@code root}, a few lines longer than the last line {@code session}'s index knows in it. */
    static void write(Path root, Session session, String path) throws IOException {
        CoverageLayout layout = session.layout();
        int file = layout.findFile(path);
        int lastLine = 0;
        for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
            lastLine = Math.max(lastLine, layout.lineNumber(line));
        }
        write(root, path, lastLine + 5);
    }
}
