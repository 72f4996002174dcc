package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.Printable;
import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into the one line a user reads; the stack trace is only shown with --debug. */
final class UserErrors {
    private UserErrors() {
    }

    /** The line, with control characters escaped: messages quote labels, paths and files' contents. */
    static String describe(Throwable ex) {
        return Printable.of(plain(ex));
    }

    private static String plain(Throwable ex) {
        if (ex instanceof NoSuchFileException || ex instanceof FileNotFoundException) {
            return "no such file: " + ex.getMessage();
        }
        if (ex instanceof AccessDeniedException) {
            return "permission denied: " + ex.getMessage();
        }
        String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
    }
}
