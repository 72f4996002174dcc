package dev.kcovexplorer.kcov.agent;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Connections that have not finished the handshake. Each must finish within one deadline for the whole
 * handshake (a peer trickling a byte at a time gains nothing), and at most {@code limit} wait at once:
 * a new one pushes out the oldest, so a flood of idle connections holds no more than {@code limit}
 * threads and sockets and still cannot keep a proper client, whose handshake takes one round trip, out.
 */
final class PendingConnections {
    private final int limit;
    private final long deadlineMillis;
    private final ScheduledExecutorService timer;
    private final LinkedHashSet<Ticket> waiting = new LinkedHashSet<>();

    PendingConnections(int limit, long deadlineMillis, ScheduledExecutorService timer) {
        this.limit = limit;
        this.deadlineMillis = deadlineMillis;
        this.timer = timer;
    }

    /** One connection in its handshake. */
    final class Ticket implements AutoCloseable {
        private final Socket socket;
        private ScheduledFuture<?> deadline;
        private volatile String cutReason;

        private Ticket(Socket socket) {
            this.socket = socket;
        }

        /** Why the connection was closed before its handshake ended, or null if it was not. */
        String cutReason() {
            return cutReason;
        }

        private void cut(String reason) {
            cutReason = reason;
            try {
                socket.close();
            } catch (IOException ignored) {
                // its thread sees the closed socket either way
            }
        }

        /** The handshake ended (either way): the deadline no longer applies. */
        @Override
        public void close() {
            synchronized (PendingConnections.this) {
                waiting.remove(this);
            }
            deadline.cancel(false);
        }
    }

    /**
     * Starts the clock for {@code socket}, pushing out the oldest waiting connection if there are too many.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the agent shuts down
     */
    Ticket register(Socket socket) {
        Ticket ticket = new Ticket(socket);
        Ticket pushedOut = null;
        synchronized (this) {
            ticket.deadline = timer.schedule(() -> ticket.cut("no complete handshake within "
                    + deadlineMillis / 1000 + " s"), deadlineMillis, TimeUnit.MILLISECONDS);
            if (waiting.size() >= limit) {
                pushedOut = waiting.iterator().next();
                waiting.remove(pushedOut);
            }
            waiting.add(ticket);
        }
        if (pushedOut != null) {
            pushedOut.cut("pushed out by a newer connection: " + limit + " were waiting to authenticate");
        }
        return ticket;
    }

    /** Closes every waiting connection (the agent shuts down). */
    void closeAll() {
        List<Ticket> all;
        synchronized (this) {
            all = new ArrayList<>(waiting);
            waiting.clear();
        }
        all.forEach(ticket -> ticket.cut("the agent is shutting down"));
    }
}
