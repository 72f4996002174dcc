package dev.kcovexplorer.app.ui.editor;

import java.util.BitSet;
import java.util.regex.Pattern;

/**
 * Finds, in source text, the lines that open or close a remote coverage section: calls of {@code kcov_remote_start*()}
 * and {@code kcov_remote_stop*()}. Coverage between them is collected on behalf of a remote handle
 * (USB bus, vhost owner). Only for a session whose kernel index predates the indexed remote-section
 * calls ({@code RemoteSections} in the model), which say where they are from the kernel itself.
 */
public final class RemoteCallsInText {
    private static final Pattern CALL = Pattern.compile("\\bkcov_remote_(start|stop)\\w*\\s*\\(");
    /** A declaration or definition ("void kcov_remote_start(u64 handle)") is no call. */
    private static final Pattern DECLARATION = Pattern.compile("^\\s*(static\\s+)?(inline\\s+)?(void|u64)\\s+kcov_remote_");

    private RemoteCallsInText() {
    }

    /** Bit {@code i} is set when line {@code i + 1} calls a remote start or stop function. */
    public static BitSet scan(String[] lines) {
        BitSet marked = new BitSet(lines.length);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.contains("kcov_remote_") && CALL.matcher(line).find() && !DECLARATION.matcher(line).find()) {
                marked.set(i);
            }
        }
        return marked;
    }

    /** True when the marked line starts a section (false: it ends one). */
    public static boolean isStart(String line) {
        return line.contains("kcov_remote_start");
    }
}
