package dev.kcovexplorer.app.ui;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * The window's UI-thread executor: what background work hands to the UI thread (progress, results) runs in the order it
 * came, ~8 ms of it between two pulses and no more than one large action: after a result that took 2 ms or more the
 * rest waits for the next pulse to pass. At the start the project tree's result (20-32 ms, its first rows made in the
 * call) and the functions' (5-6 ms) landed in one gap, 53 ms of FX CPU with their layout. Until {@link #open()}
 * everything waits, so the session can start loading before the window shows without the FX thread changing a scene
 * another thread is styling.
 */
final class PacedUiThread implements Executor {
    /** A gap's share: loading queues hundreds of small progress updates. */
    private static final long SLICE_NANOS = 8_000_000;
    /** An action this long is a result that changed the scene: the next one, maybe as large, goes to the next pulse. */
    private static final long LARGE_NANOS = 2_000_000;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private boolean open;
    /** A share is posted to the FX thread or waits for the next pulse (guarded by {@code waiting}). */
    private boolean pumping;
    /** On the FX thread: a large action (or a whole share) ran since the last pulse. */
    private boolean largeRan;
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
        long start = System.nanoTime();
        while (!largeRan) {
            Runnable next;
            synchronized (waiting) {
                next = waiting.poll();
                if (next == null) {
                    pumping = false;
                    return;
                }
            }
            long began = System.nanoTime();
            next.run();
            long end = System.nanoTime();
            if (end - began >= LARGE_NANOS || end - start >= SLICE_NANOS) {
                largeRan = true;
            }
        }
        nextPulse.start();
    }

    @Override
    public void execute(Runnable action) {
        synchronized (waiting) {
            waiting.add(action);
            if (!open || pumping) {
                return;
            }
            pumping = true;
        }
        Platform.runLater(this::runShare);
    }

    /** Call on the FX thread: runs what waited, a share at a time, and all that comes after. */
    void open() {
        synchronized (waiting) {
            open = true;
            pumping = true;
        }
        Platform.runLater(this::runShare);
    }
}
