package dev.kcovexplorer.kcov.usb;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A campaign's files written in order on a thread of their own, so the fuzzing loop never waits for them. In the
 * guest, under TCG, an atomic write to the 9p share (temporary file, fsync, rename) takes about a second; made
 * between two connections, it cost guided (which keeps a corpus entry for many of its connections) 1.4–1.9 s per
 * connection against blind's 0.5–0.7 s, and guided served two thirds of the devices blind did in the same time.
 * A snapshot's content is fixed when it is submitted, so it still holds what the campaign had reached then.
 */
final class BackgroundWrites implements AutoCloseable {
    /** One write. */
    interface Write {
        void run() throws IOException;
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "campaign-writes");
        t.setDaemon(true);
        return t;
    });
    private volatile IOException failure;

    /** Queues {@code write}; throws the failure of an earlier one, if any failed. */
    void submit(Write write) throws IOException {
        rethrow();
        thread.execute(() -> {
            if (failure != null) {
                return;
            }
            try {
                write.run();
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e);
            }
        });
    }

    /** Waits until every queued write is done; throws the first that failed. */
    void finish() throws IOException, InterruptedException {
        thread.shutdown();
        while (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
            // a slow share: the writes still run
        }
        rethrow();
    }

    private void rethrow() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
