package dev.kcovexplorer.symbolizer.index;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * One piece of an index build run on a thread of its own while the caller does another (a build has
 * stretches of work that do not depend on each other, and two cores). {@link #get()} waits for it and
 * rethrows what it threw, so a malformed file still fails with its own message.
 */
final class Concurrently<T> {
    private final FutureTask<T> task;

    private Concurrently(FutureTask<T> task) {
        this.task = task;
    }

    static <T> Concurrently<T> start(String name, Supplier<T> work) {
        FutureTask<T> task = new FutureTask<>(work::get);
        Thread thread = new Thread(task, name);
        // A cancelled build leaves it to finish on its own without holding the JVM up.
        thread.setDaemon(true);
        thread.start();
        return new Concurrently<>(task);
    }

    T get() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("index build step cancelled", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
