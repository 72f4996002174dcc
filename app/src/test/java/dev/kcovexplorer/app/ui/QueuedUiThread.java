package dev.kcovexplorer.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.testing.Patience;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A UI thread that is the test's own thread draining a queue: whatever a view model does on the UI thread happens
 * inside the test's call or when the test drains, never behind its back.
 */
final class QueuedUiThread {
    private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();

    /** Queues {@code event} for the next drain: the UI executor to hand {@link BackgroundTasks}. */
    void post(Runnable event) {
        events.add(event);
    }

    /** Runs the UI thread's events until {@code condition} holds (the minute is only a guard against a hang). */
    void drainUntil(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Runnable event = events.poll(Patience.SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("a UI event while waiting").isNotNull();
            event.run();
        }
    }

    /** Runs the UI thread's events until {@code tasks} has finished everything submitted so far. */
    void drainUntilIdle(BackgroundTasks tasks) throws InterruptedException {
        boolean[] idle = new boolean[1];
        tasks.whenIdle(() -> idle[0] = true);
        drainUntil(() -> idle[0]);
    }
}
