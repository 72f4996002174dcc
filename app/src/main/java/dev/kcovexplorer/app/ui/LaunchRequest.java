package dev.kcovexplorer.app.ui;

import java.nio.file.Path;
import java.util.List;

/**
 * What the command line asks the window to open. No JavaFX types, so the CLI (which must not depend
 * on JavaFX) can build one.
 *
 * @param session    a {@code .kcovx} session file, or null
 * @param vmlinux    a kernel image to index instead of a session, or null
 * @param sourceRoot a kernel source directory or tarball, or null
 * @param runs       dump files, each {@code FILE} or {@code LABEL=FILE}
 * @param snapshot   where to write a PNG of the window once loaded (then exit), or null for a normal window
 * @param view       what the snapshot shows: {@code tree}, {@code editor:PATH} or {@code diff:A,B}; null = tree
 */
public record LaunchRequest(Path session, Path vmlinux, Path sourceRoot, List<String> runs, Path snapshot,
                            String view) {
    public LaunchRequest {
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    /** Plain `./kcov-explorer`: the bundled demo session when present, else an empty window. */
    public static LaunchRequest demo(Path demoSession) {
        return new LaunchRequest(demoSession, null, null, List.of(), null, null);
    }

    public static LaunchRequest empty() {
        return new LaunchRequest(null, null, null, List.of(), null, null);
    }

    public boolean hasInputs() {
        return session != null || vmlinux != null;
    }

    public boolean headless() {
        return snapshot != null;
    }
}
