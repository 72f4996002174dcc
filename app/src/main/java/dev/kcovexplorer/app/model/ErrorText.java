package dev.kcovexplorer.app.model;

/** An exception as the one line a person reads in the window or the live collector's status. */
public final class ErrorText {
    private ErrorText() {
    }

    public static String of(Throwable t) {
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
