package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.ui.DemoSession;
import dev.kcovexplorer.app.ui.ExplorerLauncher;
import dev.kcovexplorer.app.ui.LaunchRequest;
import java.io.PrintWriter;

/** The window on the bundled demo session (when the checkout or package has one): {@code kcov-explorer} alone. */
public final class DemoWindow {
    static final String FAILED = "the window closed with an error";

    private DemoWindow() {
    }

    /** Blocks until the window closes; its exit code. */
    static int open() {
        LaunchRequest request = DemoSession.locate().map(LaunchRequest::demo).orElse(LaunchRequest.empty());
        return ExplorerLauncher.launch(request);
    }

    /**
     * {@link #open()} for a command line with no argument, the menu entry's: without building picocli's command
     * tree first, which reads the annotations of every command (about 0.3 s of CPU in a fresh JVM; picocli's
     * classes are too old for a dynamic class-data archive) while the user waits for the window. Errors read
     * as the other commands' do: one line, exit status 1.
     */
    public static int openAlone(PrintWriter err) {
        try {
            if (open() == 0) {
                return 0;
            }
            err.println("kcov-explorer: " + FAILED);
        } catch (RuntimeException e) {
            err.println("kcov-explorer: " + UserErrors.describe(e));
        }
        return 1;
    }
}
