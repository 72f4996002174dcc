package dev.kcovexplorer.app.ui.task;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One submitted piece of background work. Cancelling sets a flag the work polls through
 * {@link Progress#checkCancelled()}; threads are never interrupted, because an interrupt closes the
 * NIO channels the readers stream from.
 */
public final class TaskHandle<T> implements Progress {
    private final String title;
    private final Runnable onChange;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean changeScheduled = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile String message = "";
    private volatile double fraction = -1;

    TaskHandle(String title, Runnable onChange) {
        this.title = title;
        this.onChange = onChange;
    }

    public String title() {
        return title;
    }

    /** The last message the work reported, or "". */
    public String message() {
        return message;
    }

    /** Completed fraction 0..1, or -1 while unknown. */
    public double fraction() {
        return fraction;
    }

    /**
     * Asks the work to stop. A task that has not started yet still runs through its (immediate)
     * cancellation, so every submitted task finishes and idle actions are never stranded.
     */
    public void cancel() {
        cancelled = true;
        onChange.run();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    /** True once the work and its completion callback have run (or it was cancelled before starting). */
    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** Waits for {@link #isFinished()}; for tests and the headless snapshot, never on the FX thread. */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void message(String text) {
        message = text == null ? "" : text;
        changed();
    }

    @Override
    public void progress(long done, long total) {
        fraction = total <= 0 ? -1 : Math.min(1.0, Math.max(0.0, (double) done / total));
        changed();
    }

    /** Coalesces progress reports: at most one status update is queued on the UI thread at a time. */
    private void changed() {
        if (changeScheduled.compareAndSet(false, true)) {
            onChange.run();
        }
    }

    void changeDelivered() {
        changeScheduled.set(false);
    }

    void markFinished() {
        finished.countDown();
    }
}
