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
 * @param view       what the window (or snapshot) shows once loaded, as {@link dev.kcovexplorer.app.launch.StartView} parses it; null = tree
 * @param reportStalls print the FX thread's worst stall from the window's start to the view shown (standard error)
 * @param modules    where the modules' .ko files are, or null
 * @param layout     where the kernel loaded its modules for every run, or null (each dump's DUMP.layout)
 */
public record LaunchRequest(Path session, Path vmlinux, Path sourceRoot, List<String> runs, Path snapshot,
                            String view, boolean reportStalls, Path modules, Path layout) {
    public LaunchRequest {
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    /** A request without module files or layout. */
    public LaunchRequest(Path session, Path vmlinux, Path sourceRoot, List<String> runs, Path snapshot, String view,
                         boolean reportStalls) {
        this(session, vmlinux, sourceRoot, runs, snapshot, view, reportStalls, null, null);
    }

    /** Plain `./kcov-explorer`: the bundled demo session, opened on hub_event's remote section in hub.c. */
    public static LaunchRequest demo(Path demoSession) {
        return new LaunchRequest(demoSession, null, null, List.of(), null, DemoSession.START_VIEW, false);
    }

    public static LaunchRequest empty() {
        return new LaunchRequest(null, null, null, List.of(), null, null, false);
    }

    public boolean hasInputs() {
        return session != null || vmlinux != null;
    }

    public boolean headless() {
        return snapshot != null;
    }
}
