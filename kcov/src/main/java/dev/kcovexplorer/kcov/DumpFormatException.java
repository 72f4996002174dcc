package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Input that is not what it claims to be. The message is one line a user can act on: it names the
 * file, where (byte offset or line) and what was expected.
 */
public final class DumpFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public DumpFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public static DumpFormatException atOffset(Path file, long offset, String message) {
        return new DumpFormatException(file, "byte offset " + offset + ": " + message);
    }

    public static DumpFormatException atLine(Path file, long line, String message) {
        return new DumpFormatException(file, "line " + line + ": " + message);
    }

    public Path file() {
        return file;
    }
}
