package dev.kcovexplorer.app.ui;

import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;

/**
 * Starts the JavaFX window for a {@link LaunchRequest} and returns the exit code once it closes. Its
 * signature has no JavaFX types, so the CLI calls it without depending on JavaFX.
 */
public final class ExplorerLauncher {
    private static final AtomicReference<LaunchRequest> REQUEST = new AtomicReference<>();
    private static volatile int exitCode;

    private ExplorerLauncher() {
    }

    /**
     * Blocks until the window closes (or the snapshot is written). Headless snapshots use Monocle with
     * software rendering; a normal window needs a display and fails with a clear message without one.
     */
    public static int launch(LaunchRequest request) {
        if (request.headless()) {
            useHeadlessPlatform();
        } else if (!hasDisplay()) {
            throw new IllegalStateException("no display to open the window on (set DISPLAY, or render headless with "
                    + "`kcov-explorer open … --snapshot OUT.png`)");
        }
        if (!REQUEST.compareAndSet(null, request)) {
            throw new IllegalStateException("the window is already open in this process");
        }
        exitCode = 0;
        Application.launch(ExplorerApp.class);
        return exitCode;
    }

    /** Monocle's headless glass platform: must be chosen before the toolkit starts. */
    static void useHeadlessPlatform() {
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("java.awt.headless", "true");
        // The headless screen must hold the whole window, or Monocle overflows its frame buffer.
        System.setProperty("headless.geometry", "1920x1200-32");
    }

    static LaunchRequest request() {
        LaunchRequest request = REQUEST.get();
        return request == null ? LaunchRequest.empty() : request;
    }

    static void setExitCode(int code) {
        exitCode = code;
    }

    private static boolean hasDisplay() {
        if ("Monocle".equals(System.getProperty("glass.platform"))) {
            return true;
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return true;
        }
        return notBlank(System.getenv("DISPLAY")) || notBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
