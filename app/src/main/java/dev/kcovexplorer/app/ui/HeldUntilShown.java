package dev.kcovexplorer.app.ui;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * The window's UI-thread executor while its scene is still being built off the FX thread: what background
 * work hands to the UI thread (progress, results) waits until {@link #open()}, so the session can start
 * loading before the window shows without the FX thread changing a scene another thread is styling. What
 * waited then runs in the order it came, spread over pulses (~8 ms of it a pulse, a large action alone).
 */
final class HeldUntilShown implements Executor {
    /** A pulse's share: loading queues hundreds of small progress updates, and a result can be large. */
    private static final long SLICE_NANOS = 8_000_000;
    private final Queue<Runnable> held = new ArrayDeque<>();
    private boolean open;

    @Override
    public void execute(Runnable action) {
        synchronized (held) {
            if (!open) {
                held.add(action);
                return;
            }
        }
        Platform.runLater(action);
    }

    /** Call on the FX thread: runs what waited, a slice a pulse, then hands everything straight to the FX thread. */
    void open() {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                long start = System.nanoTime();
                while (System.nanoTime() - start < SLICE_NANOS) {
                    Runnable next;
                    synchronized (held) {
                        next = held.poll();
                        if (next == null) {
                            open = true;
                            stop();
                            return;
                        }
                    }
                    next.run();
                }
            }
        }.start();
    }
}
