package dev.kcovexplorer.kcov.agent;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A socket's output whose writes time out: Java's blocking sockets have no write timeout, so a peer that
 * stops reading would block the writer forever once the socket buffers fill. Each chunk of at most
 * 64 KiB must go out within the deadline, or the socket is closed and the write fails, saying why. Chunks
 * keep a slow but reading peer alive however large the frame.
 */
final class DeadlineOutputStream extends FilterOutputStream {
    private static final int CHUNK_BYTES = 64 << 10;

    private final Socket socket;
    private final ScheduledExecutorService timer;
    private final long deadlineMillis;
    private volatile boolean expired;

    DeadlineOutputStream(Socket socket, ScheduledExecutorService timer, long deadlineMillis) throws IOException {
        super(socket.getOutputStream());
        this.socket = socket;
        this.timer = timer;
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int done = 0; done < length; done += CHUNK_BYTES) {
            int step = Math.min(CHUNK_BYTES, length - done);
            ScheduledFuture<?> guard;
            try {
                guard = timer.schedule(this::expire, deadlineMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shutDown) {
                throw new IOException("the agent is shutting down");
            }
            try {
                out.write(bytes, offset + done, step);
            } catch (IOException e) {
                if (expired) {
                    throw new IOException(expiry(), e);
                }
                throw e;
            } finally {
                guard.cancel(false);
            }
        }
    }

    /** Why the connection was closed when a write missed its deadline. */
    String expiry() {
        return "the peer stopped reading: nothing could be written for " + deadlineMillis / 1000 + " s";
    }

    /** Whether a write missed its deadline and closed the socket. */
    boolean expired() {
        return expired;
    }

    private void expire() {
        expired = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // the blocked write fails either way
        }
    }
}
