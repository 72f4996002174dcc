package dev.kcovexplorer.app.ui;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * The window's UI-thread executor: what background work hands to the UI thread (progress, results) runs in pulses, in
 * the order it came, ~8 ms of it a pulse and no more than one large action: a result that took 2 ms or more ends its
 * pulse's share. At the start the project tree's result (20-32 ms, its first rows made in the call) and the functions'
 * (5-6 ms) landed in one gap, 53 ms of FX CPU with their layout. Until {@link #open()} everything waits, so the session
 * can start loading before the window shows without the FX thread changing a scene another thread is styling.
 */
final class PacedUiThread implements Executor {
    /** A pulse's share: loading queues hundreds of small progress updates. */
    private static final long SLICE_NANOS = 8_000_000;
    /** An action this long is a result that changed the scene: the next one, maybe as large, goes to the next pulse. */
    private static final long LARGE_NANOS = 2_000_000;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private boolean open;
    private boolean pumping;
    /** Each pulse hands the FX thread a share to run once the pulse is over (a share at a time). */
    private final AnimationTimer pump = new AnimationTimer() {
        private boolean sharePending;

        @Override
        public void handle(long now) {
            if (!sharePending) {
                sharePending = true;
                Platform.runLater(() -> {
                    sharePending = false;
                    runShare();
                });
            }
        }
    };

    /**
     * Runs after a pulse's layout and render, not in its animation phase: what the share changes is laid out by the
     * next pulse, in a gap of its own (run before a layout, the editor's content and its first lines' layout made
     * 56-71 ms of FX CPU in one gap).
     */
    private void runShare() {
        long start = System.nanoTime();
        while (true) {
            Runnable next;
            synchronized (waiting) {
                next = waiting.poll();
                if (next == null) {
                    pumping = false;
                    pump.stop();
                    return;
                }
            }
            long began = System.nanoTime();
            next.run();
            long end = System.nanoTime();
            if (end - began >= LARGE_NANOS || end - start >= SLICE_NANOS) {
                return;
            }
        }
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
        // Started on the FX thread: an animation timer is the toolkit's, and it runs from the next pulse.
        Platform.runLater(pump::start);
    }

    /** Call on the FX thread: runs what waited after the next pulse, and all that comes after. */
    void open() {
        synchronized (waiting) {
            open = true;
            pumping = true;
        }
        pump.start();
    }
}
