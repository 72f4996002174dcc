package dev.kcovexplorer.app.cli;

import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * The command line's standard output: a PrintWriter for picocli and most commands, whose bytes a command
 * that writes a lot of text it already holds as UTF-8 ({@code symbolize}: 200 MB for a kernel) can write
 * directly, after what went through the writer.
 */
final class StandardOutput extends PrintWriter {
    private final OutputStream stream;

    StandardOutput(OutputStream stream) {
        super(stream, true);
        this.stream = stream;
    }

    /** The underlying bytes, with what was written through this writer flushed first. */
    OutputStream bytes() {
        flush();
        return stream;
    }
}
