package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.session.SessionReadAhead;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;

/**
 * Starts the JavaFX window for a {@link LaunchRequest} and returns the exit code once it closes. Its
 * signature has no JavaFX types, so the CLI calls it without depending on JavaFX.
 */
public final class ExplorerLauncher {
    private static final AtomicReference<LaunchRequest> REQUEST = new AtomicReference<>();
    private static final AtomicReference<DemoRequest> DEMO = new AtomicReference<>();
    private static final AtomicReference<SessionReadAhead> READ_AHEAD = new AtomicReference<>();
    private static volatile boolean headless;
    private static volatile int exitCode;

    private ExplorerLauncher() {
    }

    /**
     * Blocks until the window closes (or the snapshot is written). Headless snapshots use Monocle with
     * software rendering; a normal window needs a display and fails with a clear message without one.
     */
    public static int launch(LaunchRequest request) {
        return launch(request, null, request.headless());
    }

    /**
     * {@code kcov-explorer demo}: the window on {@code request}, then the demo VM as {@code demo} says;
     * {@code withoutDisplay} renders headless (a hands-free demo on a machine without a display).
     */
    public static int launch(LaunchRequest request, DemoRequest demo, boolean withoutDisplay) {
        headless = withoutDisplay;
        DEMO.set(demo);
        if (withoutDisplay) {
            useHeadlessPlatform();
        } else if (!hasDisplay()) {
            throw new IllegalStateException("no display to open the window on (set DISPLAY, or render headless with "
                    + "`kcov-explorer open … --snapshot OUT.png`)");
        }
        if (!REQUEST.compareAndSet(null, request)) {
            throw new IllegalStateException("the window is already open in this process");
        }
        exitCode = 0;
        // The session decodes while the toolkit starts and the window is built (1-2 s of a fresh JVM's wall time),
        // from before the command line was parsed when that named this file (readAheadEarly).
        SessionReadAhead early = READ_AHEAD.getAndSet(null);
        READ_AHEAD.set(request.session() == null ? null
                : early != null && early.reads(request.session()) ? early : SessionReadAhead.start(request.session()));
        Application.launch(ExplorerApp.class);
        return exitCode;
    }

    /**
     * Starts reading the session file a window's command line names before the command line is parsed: picocli
     * takes the main thread ~0.1 s of a fresh JVM while the other core idles. {@link #launch} takes this reading
     * only when the parsed request names the same file; otherwise it starts its own, as it did before.
     */
    public static void readAheadEarly(Path session) {
        READ_AHEAD.set(SessionReadAhead.start(session));
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

    /**
     * The command line's session file being read since the launch, or null; handed out once, so that the session
     * is not kept alive here after the window has opened another.
     */
    static SessionReadAhead takeReadAhead() {
        return READ_AHEAD.getAndSet(null);
    }

    /** What {@code kcov-explorer demo} asked for, or null. */
    static DemoRequest demo() {
        return DEMO.get();
    }

    /** Whether the window renders without a display. */
    static boolean headless() {
        return headless;
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
