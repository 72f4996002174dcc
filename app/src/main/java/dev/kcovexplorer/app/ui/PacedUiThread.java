package dev.kcovexplorer.app.ui;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * The window's UI-thread executor: what background work hands to the UI thread (progress, results) runs in the order it
 * came, ~8 ms of it between two pulses and no more than one large action: after a result that took 2 ms or more the
 * rest waits for the next pulse to pass. At the start the project tree's result (20-32 ms, its first rows made in the
 * call) and the functions' (5-6 ms) landed in one gap, 53 ms of FX CPU with their layout. Nor does a share run after a
 * pulse that already held the FX thread 12 ms or more (the layout of the last large change, work of the window's own
 * such as the project tree's reveal): it waits a pulse, once. Until {@link #open()} everything waits, so the session can
 * start loading before the window shows without the FX thread changing a scene another thread is styling.
 */
final class PacedUiThread implements Executor {
    /** A gap's share: loading queues hundreds of small progress updates. */
    private static final long SLICE_NANOS = 8_000_000;
    /** An action this long is a result that changed the scene: the next one, maybe as large, goes to the next pulse. */
    private static final long LARGE_NANOS = 2_000_000;
    /**
     * FX CPU since the pulse began beyond which the gap is full: a large result's own 10-34 ms on top of it made the
     * start's worst gaps (the tree's reveal, 23 ms, then vhost.c's content and its first layout: 46-52 ms).
     */
    private static final long FULL_GAP_NANOS = 12_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    /**
     * Changes handed over alone, run before {@link #waiting} and in the order they came (guarded by {@code waiting}):
     * put each first in {@code waiting}, the tool windows released together (HeldChanges) were made last-first.
     */
    private final Deque<Runnable> alone = new ArrayDeque<>();
    private boolean open;
    /** A share is posted to the FX thread or waits for the next pulse (guarded by {@code waiting}). */
    private boolean pumping;
    /** On the FX thread: a large action (or a whole share) ran since the last pulse. */
    private boolean largeRan;
    /** On the FX thread: the FX thread's CPU time when the scene's last pulse began, -1 before the first. */
    private long pulseBegan = -1;
    /** On the FX thread: the share waited a pulse for a full gap; the next one runs whatever that pulse cost. */
    private boolean waitedForFullGap;
    private final AnimationTimer nextPulse = new AnimationTimer() {
        @Override
        public void handle(long now) {
            stop();
            largeRan = false;
            // After this pulse's layout and render: what the share changes is laid out by the next one.
            Platform.runLater(PacedUiThread.this::runShare);
        }
    };

    /**
     * Runs what waits, right away while nothing large ran since the last pulse (a chain of small hand-overs waits for
     * no frame), and the rest once the next pulse has passed, after its layout and render, not in its animation phase:
     * run before a layout, the start view's editor content and its first lines' layout made 56-71 ms of FX CPU in one
     * gap.
     */
    private void runShare() {
        if (!largeRan && gapIsFull()) {
            waitedForFullGap = true;
            nextPulse.start();
            return;
        }
        waitedForFullGap = false;
        long start = System.nanoTime();
        while (!largeRan) {
            Runnable next;
            synchronized (waiting) {
                next = alone.isEmpty() ? waiting.poll() : alone.poll();
                if (next == null) {
                    pumping = false;
                    return;
                }
            }
            long began = System.nanoTime();
            runReporting(next);
            long end = System.nanoTime();
            if (end - began >= LARGE_NANOS || end - start >= SLICE_NANOS || next instanceof Alone) {
                largeRan = true;
            }
        }
        nextPulse.start();
    }

    /**
     * Runs {@code action}; what it throws is reported as the FX thread reports what a {@code Platform.runLater} action
     * throws, and the share goes on: escaping the share, it left {@code pumping} set with no pulse asked for, and
     * nothing handed over after it ever ran (no result, no progress, the start view's held results never released).
     */
    private static void runReporting(Runnable action) {
        try {
            action.run();
        } catch (Throwable failure) {
            Thread fx = Thread.currentThread();
            fx.getUncaughtExceptionHandler().uncaughtException(fx, failure);
        }
    }

    private boolean gapIsFull() {
        return !waitedForFullGap && pulseBegan >= 0
                && THREADS.getCurrentThreadCpuTime() - pulseBegan >= FULL_GAP_NANOS;
    }

    @Override
    public void execute(Runnable action) {
        hand(action, false);
    }

    /**
     * Runs {@code change} before what waits (after the changes handed over alone before it), and nothing after it until
     * the next pulse has passed: a change that costs the FX thread little itself and much in the layout it brings (a
     * tool window's content put back).
     */
    void executeAlone(Runnable change) {
        hand(new Alone(change), true);
    }

    private void hand(Runnable action, boolean isAlone) {
        synchronized (waiting) {
            (isAlone ? alone : waiting).add(action);
            if (!open || pumping) {
                return;
            }
            pumping = true;
        }
        Platform.runLater(this::runShare);
    }

    /** Call on the FX thread: a share waits for a pulse of {@code scene} that left room for it. */
    void leaveFullGaps(Scene scene) {
        scene.addPreLayoutPulseListener(() -> pulseBegan = THREADS.getCurrentThreadCpuTime());
    }

    /** Call on the FX thread: runs what waited, a share at a time, and all that comes after. */
    void open() {
        synchronized (waiting) {
            open = true;
            pumping = true;
        }
        Platform.runLater(this::runShare);
    }

    private record Alone(Runnable change) implements Runnable {
        @Override
        public void run() {
            change.run();
        }
    }
}
