package dev.kcovexplorer.kcov.live;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One platform thread that issues every system call for one kcov fd. kcov state belongs to a kernel
 * task: {@code KCOV_ENABLE} traces the calling task, {@code KCOV_DISABLE} must come from the same task,
 * and {@code KCOV_REMOTE_ENABLE} stores the common handle on the calling task, where children and a
 * vhost device set up later by that task pick it up. A Java platform thread is one kernel task for its
 * whole life, so pinning the work to one thread pins it to one task.
 */
final class KcovThread implements AutoCloseable {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final ExecutorService executor;
    private volatile Thread thread;

    KcovThread() {
        this.executor = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "kcov-fd-" + NEXT_ID.incrementAndGet());
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Runs {@code work} on the pinned thread and returns its result; runs inline when already there. */
    <T> T call(Callable<T> work) throws Exception {
        if (Thread.currentThread() == thread) {
            return work.call();
        }
        Future<T> result = executor.submit(work);
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
