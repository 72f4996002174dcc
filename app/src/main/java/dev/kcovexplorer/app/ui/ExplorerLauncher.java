package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.session.SessionReadAhead;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.application.Platform;

/**
 * Starts the JavaFX window for a {@link LaunchRequest} and returns the exit code once it closes. Its
 * signature has no JavaFX types, so the CLI calls it without depending on JavaFX.
 */
public final class ExplorerLauncher {
    private static final AtomicReference<LaunchRequest> REQUEST = new AtomicReference<>();
    private static final AtomicReference<DemoRequest> DEMO = new AtomicReference<>();
    private static final AtomicReference<SessionReadAhead> READ_AHEAD = new AtomicReference<>();
    /** Started before the command line was parsed: either the window takes it or it is cancelled, never both. */
    private static final AtomicReference<SessionReadAhead> EARLY = new AtomicReference<>();
    /** The toolkit's start begun before the command line was parsed (startToolkitEarly), or null. */
    private static final AtomicReference<Thread> EARLY_TOOLKIT = new AtomicReference<>();
    private static volatile RuntimeException earlyToolkitFailure;
    /** What glass's GTK platform throws when it cannot connect to $DISPLAY. */
    private static final String DISPLAY_FAILURE = "Unable to open DISPLAY";
    /** The messages of JavaFX's launcher around what its launch or the application's start threw. */
    private static final Set<String> LAUNCH_WRAPPERS = Set.of("Application launch error",
            "Application launch exception", "Exception in Application start method");
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
        awaitEarlyToolkit(withoutDisplay);
        // The session decodes while the toolkit starts and the window is built (1-2 s of a fresh JVM's wall time).
        READ_AHEAD.set(readAheadFor(request.session()));
        try {
            Application.launch(ExplorerApp.class);
        } catch (UnsupportedOperationException e) {
            throw displayUnavailable(e);
        } catch (RuntimeException e) {
            throw unwrapped(e);
        }
        return exitCode;
    }

    /**
     * What went wrong in the toolkit's launch, not JavaFX's wrapper of it: an Error there (a class missing from a
     * build that changed under the program, the heap) reached the user as "kcov-explorer: Application launch error"
     * alone. Out of memory is thrown as itself, for the heap's advice ({@code Main}).
     */
    static RuntimeException unwrapped(RuntimeException e) {
        Throwable cause = e.getCause();
        if (cause == null || !LAUNCH_WRAPPERS.contains(e.getMessage())) {
            return e;
        }
        if (cause instanceof OutOfMemoryError outOfMemory) {
            throw outOfMemory;
        }
        return new IllegalStateException("the window could not start: " + cause, cause);
    }

    /**
     * The reading of {@code session} (null: none): the early one when it reads this file (readAheadEarly), else a
     * new one, the early one cancelled.
     */
    static SessionReadAhead readAheadFor(Path session) {
        SessionReadAhead early = EARLY.getAndSet(null);
        if (early != null && session != null && early.reads(session)) {
            return early;
        }
        if (early != null) {
            early.cancel();
        }
        return session == null ? null : SessionReadAhead.start(session);
    }

    /**
     * Starts reading the session file a window's command line names before the command line is parsed: picocli
     * takes the main thread ~0.1 s of a fresh JVM while the other core idles. {@link #launch} takes this reading
     * only when the parsed request names the same file; otherwise it cancels it and starts its own, as it did before.
     */
    public static SessionReadAhead readAheadEarly(Path session) {
        cancelEarlyReadAhead();
        SessionReadAhead early = SessionReadAhead.start(session);
        EARLY.set(early);
        return early;
    }

    /**
     * Cancels the early reading when no window took it: the command line failed to parse, or ran something else
     * (in a JVM that runs several commands, tests, it would otherwise decode on until the next window's launch).
     */
    public static void cancelEarlyReadAhead() {
        SessionReadAhead early = EARLY.getAndSet(null);
        if (early != null) {
            early.cancel();
        }
    }

    /**
     * Starts the toolkit (the display's connection, the renderer, the FX thread; no window) on a thread of its own
     * while the command line is parsed: picocli keeps the main thread ~0.1 s of a fresh JVM, and the toolkit's start
     * (~0.2 s) came after it, on the path to the window. Only for a window on a display: the parsed command may still
     * turn out to be an error, which is reported as before (nothing shows until the window is built), or help. A
     * headless snapshot chooses its platform before the toolkit starts, so it never takes this path.
     */
    public static void startToolkitEarly() {
        if (!hasDisplay() || "Monocle".equals(System.getProperty("glass.platform"))) {
            return;
        }
        Thread starting = new Thread(() -> {
            try {
                Platform.startup(() -> { });
            } catch (RuntimeException e) {
                // Thrown again where Application.launch would have thrown it: "Unable to open DISPLAY".
                earlyToolkitFailure = e;
            }
        }, "toolkit-start");
        starting.setDaemon(true);
        if (EARLY_TOOLKIT.compareAndSet(null, starting)) {
            starting.start();
        }
    }

    /**
     * Waits for the toolkit's early start, if one was begun: Application.launch then finds the toolkit up and only
     * queues the application's start on its thread. Its failure is this launch's.
     */
    private static void awaitEarlyToolkit(boolean withoutDisplay) {
        Thread starting = EARLY_TOOLKIT.get();
        if (starting == null) {
            return;
        }
        if (withoutDisplay) {
            throw new IllegalStateException("the toolkit was started for a display; a headless window cannot follow");
        }
        try {
            starting.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the toolkit started", e);
        }
        if (earlyToolkitFailure instanceof UnsupportedOperationException e) {
            throw displayUnavailable(e);
        }
        if (earlyToolkitFailure != null) {
            throw earlyToolkitFailure;
        }
    }

    /**
     * Which display could not be opened, and the headless way instead: GTK's "Unable to open DISPLAY" named neither,
     * so a DISPLAY left over from another session (ssh, a stopped Xvfb) read like a missing variable. Any other
     * failure is returned as it is.
     */
    private static RuntimeException displayUnavailable(UnsupportedOperationException e) {
        if (!DISPLAY_FAILURE.equals(e.getMessage())) {
            return e;
        }
        String display = System.getenv("DISPLAY");
        String which = notBlank(display) ? "the display " + display + " (is an X server running there, and may this "
                + "user connect to it?)" : "an X display (DISPLAY is not set; the window needs X11 or XWayland)";
        return new IllegalStateException("cannot open " + which + "; render headless with "
                + "`kcov-explorer open … --snapshot OUT.png`", e);
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

    /** For tests that start {@link ExplorerApp} in a toolkit of their own: what it opens, as launch sets it (null: none). */
    static void requestForTests(LaunchRequest request) {
        REQUEST.set(request);
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
