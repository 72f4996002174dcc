package dev.kcovexplorer.app.model;

import dev.kcovexplorer.kcov.Printable;

/** An exception as the one line a person reads in the window or the live collector's status. */
public final class ErrorText {
    private ErrorText() {
    }

    /** The line, with control characters escaped: messages quote labels, paths and what peers sent. */
    public static String of(Throwable t) {
        return Printable.of(plain(t));
    }

    private static String plain(Throwable t) {
        String text = t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + text;
        }
        if (t instanceof java.net.UnknownHostException) {
            return "unknown host " + text; // Java's message is the host alone
        }
        return text == null || text.isBlank() ? t.getClass().getSimpleName() : text;
    }
}
