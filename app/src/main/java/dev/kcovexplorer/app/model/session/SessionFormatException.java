package dev.kcovexplorer.app.model.session;

import java.io.IOException;
import java.nio.file.Path;

/** A session file that is not what it should be; the message names the file, the part and what was expected. */
public final class SessionFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SessionFormatException(Path file, String message) {
        super(file + ": " + message);
    }

    public SessionFormatException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
