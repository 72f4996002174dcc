package dev.kcovexplorer.kcov.agent;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's connection as the agent sends to it: frames go out in order through a queue and one
 * writer thread, so the agent never holds its lock while a slow peer's socket blocks, and a stalled
 * controller cannot hold up other clients or a shutdown. The socket's output times out
 * ({@link DeadlineOutputStream}); a queue beyond {@code limitWords} also counts as stalled. Either way
 * the connection is closed and {@link Events#failed} says why.
 *
 * <p>A batch stays queued until it was written, so one that was being written when the connection broke
 * is handed back by {@link #close()} and delivered again later: clients ignore repeated sequence numbers,
 * and a batch sent twice is better than one lost.
 */
final class ControllerLink {
    /** What the writer reports; called without this link's lock held. */
    interface Events {
        /** A batch the agent produced for this controller (not a resent one) was written. */
        void written(ControllerLink link, CoverageBatch batch);

        void failed(ControllerLink link, IOException cause);
    }

    private record Outgoing(Object frame, boolean fresh) {
    }

    private final Socket socket;
    private final FrameCodec codec;
    private final String peer;
    private final long limitWords;
    private final Events events;
    private final Thread writer;
    // Guarded by this.
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private long queuedWords;
    private boolean finishing;
    private boolean closed;

    ControllerLink(Socket socket, FrameCodec codec, String peer, long limitWords, Events events) {
        this.socket = socket;
        this.codec = codec;
        this.peer = peer;
        this.limitWords = limitWords;
        this.events = events;
        this.writer = new Thread(this::writeLoop, "agent-writer " + peer);
        this.writer.setDaemon(true);
    }

    String peer() {
        return peer;
    }

    void start() {
        writer.start();
    }

    synchronized void send(Message message) {
        enqueue(new Outgoing(message, false));
    }

    /**
     * Queues a batch; {@code fresh} when the agent produced it for this controller, false when it resends
     * one already recorded as sent. A controller too far behind is cut off.
     */
    synchronized void send(CoverageBatch batch, boolean fresh) {
        enqueue(new Outgoing(batch, fresh));
        queuedWords += batch.words().length;
        if (queuedWords > limitWords) {
            closeSocket(); // the writer fails and reports it
        }
    }

    private void enqueue(Outgoing outgoing) {
        if (!closed) {
            queue.addLast(outgoing);
            notifyAll();
        }
    }

    /** Writes what is queued, then closes the connection (the agent shuts down). */
    synchronized void finish() {
        finishing = true;
        notifyAll();
    }

    /** Waits up to {@code millis} for {@link #finish()} to have written everything. */
    boolean awaitFinished(long millis) throws InterruptedException {
        writer.join(millis);
        return !writer.isAlive();
    }

    /** Closes the connection; returns the fresh batches that were not (completely) written, oldest first. */
    synchronized List<CoverageBatch> close() {
        closed = true;
        closeSocket();
        notifyAll();
        List<CoverageBatch> unwritten = new ArrayList<>();
        for (Outgoing outgoing : queue) {
            if (outgoing.fresh()) {
                unwritten.add((CoverageBatch) outgoing.frame());
            }
        }
        queue.clear();
        queuedWords = 0;
        return unwritten;
    }

    private synchronized boolean fellBehind() {
        return queuedWords > limitWords;
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void writeLoop() {
        while (true) {
            Outgoing next;
            synchronized (this) {
                while (queue.isEmpty() && !finishing && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                if (queue.isEmpty()) { // finishing, all written
                    closeSocket();
                    return;
                }
                next = queue.peekFirst();
            }
            try {
                if (next.frame() instanceof CoverageBatch batch) {
                    codec.write(batch);
                } else {
                    codec.write((Message) next.frame());
                }
            } catch (IOException e) {
                events.failed(this, fellBehind() ? new IOException("the controller fell more than " + limitWords
                        + " words behind: it reads too slowly or not at all", e) : e);
                return;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                queue.removeFirst();
                if (next.frame() instanceof CoverageBatch batch) {
                    queuedWords -= batch.words().length;
                }
            }
            if (next.fresh()) {
                events.written(this, (CoverageBatch) next.frame());
            }
        }
    }
}
