package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.kcov.Printable;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's server: one controller at a time starts, stops and resets collection from a
 * {@link CoverageSource} and receives its coverage as numbered batches, drained at the planned period.
 * When the controller goes away the session keeps collecting into a bounded buffer, or stops, as the
 * start request asked; the next controller receives the buffered batches first. {@link #close()} (the
 * SIGTERM path) disables kcov before anything else. The protocol is docs/agent-protocol.md.
 *
 * <p>Built to face hostile peers: a connection must finish its handshake ({@link Handshake}) within
 * {@link #HANDSHAKE_MILLIS} with small frames, at most {@link #MAX_PENDING} wait at once
 * ({@link PendingConnections}), every request is checked field by field and answered, and the
 * controller is written to by its own thread with a write timeout ({@link ControllerLink}), so nothing a
 * peer does or fails to do blocks other clients or a shutdown.
 */
public final class AgentServer implements AutoCloseable {
    static final long HANDSHAKE_MILLIS = 10_000;
    static final int MAX_PENDING = 64;
    static final long WRITE_TIMEOUT_MILLIS = 5_000;
    /** How long a new controller waits for the previous one's connection to be released. */
    private static final long SLOT_WAIT_MILLIS = 2_000;
    /** How long a shutdown lets the controller receive the last batches and the goodbye. */
    private static final long GOODBYE_MILLIS = 1_000;
    /** How long and how much a refused connection is drained before it closes. */
    private static final int LINGER_MILLIS = 500;
    private static final int LINGER_BYTES = 64 << 10;
    /** 8 Mi words (64 MiB) of batches wait for a controller; older ones are dropped beyond that. */
    private static final long UNSENT_LIMIT_WORDS = 8L << 20;
    /** 1 Mi words of sent batches stay for a client that resumes after a lost connection. */
    private static final long SENT_LIMIT_WORDS = 1L << 20;

    private final ServerSocket serverSocket;
    private final CoverageSource source;
    private final Consumer<String> log;
    private final Consumer<String> refusals;
    private final ScheduledExecutorService collector;
    private final ScheduledThreadPoolExecutor timer;
    private final PendingConnections pending;
    private final Handshake handshake;
    private final Thread acceptThread;
    private final Object lock = new Object();
    private final String instance = UUID.randomUUID().toString();
    private final ControllerLink.Events linkEvents = new ControllerLink.Events() {
        @Override
        public void written(ControllerLink link, CoverageBatch batch) {
            synchronized (lock) {
                outbox.sent(batch);
            }
        }

        @Override
        public void failed(ControllerLink link, IOException cause) {
            release(link, "controller " + link.peer() + " dropped: " + cause.getMessage());
        }
    };

    // Guarded by lock.
    private final Outbox outbox = new Outbox(UNSENT_LIMIT_WORDS, SENT_LIMIT_WORDS);
    private ControllerLink controller;
    private CollectionPlan plan;
    private ScheduledFuture<?> tick;
    private long nextSequence = 1;
    private long sessionBatches;
    private long sessionEntries;
    private long sessionOverflows;
    private boolean closed;

    private AgentServer(ServerSocket serverSocket, CoverageSource source, TokenCheck token, Consumer<String> log) {
        this.serverSocket = serverSocket;
        this.source = source;
        this.log = line -> log.accept(Printable.of(line));
        this.refusals = new ThrottledLog(this.log);
        this.collector = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "agent-collector"));
        this.timer = new ScheduledThreadPoolExecutor(1, task -> daemon(task, "agent-deadlines"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.pending = new PendingConnections(MAX_PENDING, HANDSHAKE_MILLIS, timer);
        this.handshake = new Handshake(token, refusals);
        this.acceptThread = daemon(this::acceptLoop, "agent-accept");
    }

    /**
     * Binds and starts serving.
     *
     * @param token the shared secret clients must prove they know, or null; required unless {@code address}
     *              is a loopback address
     */
    public static AgentServer start(InetSocketAddress address, String token, CoverageSource source,
            Consumer<String> log) throws IOException {
        if (token == null && (address.getAddress() == null || !address.getAddress().isLoopbackAddress())) {
            throw new AgentException("listening on " + address.getHostString() + " needs a token (--token-file): "
                    + "anyone who can reach that address could otherwise control kcov");
        }
        Handshake.warmUp();
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(address);
        } catch (IOException e) {
            socket.close();
            throw new AgentException("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": "
                    + e.getMessage());
        }
        AgentServer server = new AgentServer(socket, source, token == null ? null : new TokenCheck(token), log);
        server.acceptThread.start();
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    /** Blocks until {@link #close()} has run. */
    public void awaitClose() throws InterruptedException {
        acceptThread.join();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                PendingConnections.Ticket ticket;
                try {
                    ticket = pending.register(socket);
                } catch (RejectedExecutionException shuttingDown) {
                    socket.close();
                    continue;
                }
                daemon(() -> serve(socket, ticket), "agent-connection").start();
            } catch (SocketException closedWhileAccepting) {
                return;
            } catch (IOException e) {
                log.accept("accept failed: " + e.getMessage());
            }
        }
    }

    private void serve(Socket socket, PendingConnections.Ticket ticket) {
        String peer = socket.getRemoteSocketAddress().toString().replaceFirst("^/", "");
        ControllerLink self = null;
        DeadlineOutputStream writeDeadline = null;
        String ending = null;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) HANDSHAKE_MILLIS);
            DeadlineOutputStream output = new DeadlineOutputStream(socket, timer, WRITE_TIMEOUT_MILLIS);
            writeDeadline = output;
            FrameCodec codec = new FrameCodec(new BufferedInputStream(socket.getInputStream()),
                    new BufferedOutputStream(output));
            Message.Hello hello = handshake.perform(codec, socket.getInetAddress(), peer);
            if (hello == null) {
                return;
            }
            ControllerLink link = new ControllerLink(socket, codec, peer, UNSENT_LIMIT_WORDS, linkEvents);
            String refusal = admit(link, hello);
            if (refusal != null) {
                refusals.accept("refused " + peer + ": " + refusal);
                codec.write(new Message.Error("hello", refusal));
                return;
            }
            self = link;
            ticket.close();
            socket.setSoTimeout(0);
            codec.limitFrames(AgentProtocol.MAX_FRAME_BYTES);
            while (true) {
                answer(self, codec);
            }
        } catch (IOException e) {
            if (ticket.cutReason() != null) {
                refusals.accept("closed " + peer + ": " + ticket.cutReason());
            } else if (self == null) {
                refusals.accept("closed " + peer + " before its handshake ended: " + e.getMessage());
            } else if (writeDeadline.expired()) {
                ending = "controller " + peer + " dropped: " + writeDeadline.expiry();
            } else {
                ending = "controller " + peer + " disconnected: " + e.getMessage();
            }
        } finally {
            if (self != null) {
                release(self, ending); // before the socket closes, so a reconnecting client finds the slot free
            } else {
                lingerAndClose(socket);
            }
            ticket.close();
        }
    }

    /**
     * Closes a refused connection so that the peer reads the refusal: closing a socket with unread input
     * sends a reset, which can discard the error frame before the peer reads it. So: end our output, then
     * read and discard what the peer still sends, for a moment.
     */
    private static void lingerAndClose(Socket socket) {
        try (socket) {
            if (!socket.isClosed()) {
                socket.shutdownOutput();
                socket.setSoTimeout(LINGER_MILLIS);
                byte[] sink = new byte[4096];
                int total = 0;
                for (int n = 0; n >= 0 && total < LINGER_BYTES; n = socket.getInputStream().read(sink)) {
                    total += n;
                }
            }
        } catch (IOException ignored) {
            // the peer is gone or silent: closed either way
        }
    }

    /**
     * Reads one frame from the controller and answers it. A malformed request is answered and the
     * connection goes on; broken framing is answered before the connection closes.
     */
    private void answer(ControllerLink self, FrameCodec codec) throws IOException {
        Object frame;
        try {
            frame = codec.read();
        } catch (FrameCodec.BadMessageException e) {
            self.send(new Message.Error(e.request(), e.getMessage()));
            return;
        } catch (FrameCodec.ProtocolException e) {
            self.send(new Message.Error("frame", e.getMessage()));
            self.finish();
            try {
                self.awaitFinished(GOODBYE_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        if (frame instanceof Message message) {
            handle(self, message);
        } else {
            self.send(new Message.Error("batch", "clients do not send coverage batches"));
        }
    }

    /**
     * Makes {@code self} the controller and queues the welcome and the backlog for it, or says why not. A
     * previous controller whose connection is closing (its client just disconnected) is waited for
     * briefly; a live one means a refusal.
     */
    private String admit(ControllerLink self, Message.Hello hello) {
        synchronized (lock) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SLOT_WAIT_MILLIS);
            while (controller != null && !closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (closed) {
                return "the agent is shutting down";
            }
            if (controller != null) {
                return "another controller is connected (" + controller.peer() + "); the agent serves one at a time";
            }
            controller = self;
            self.send(new Message.Welcome(AgentProtocol.VERSION, "kcov-explorer agent", instance,
                    source.kernelInfo(), describeSession()));
            Outbox.Backlog backlog = outbox.takeForController(hello.resumeAfter());
            backlog.resent().forEach(batch -> self.send(batch, false));
            backlog.fresh().forEach(batch -> self.send(batch, true));
            self.start();
            log.accept("controller " + self.peer() + " connected"
                    + (backlog.size() == 0 ? "" : "; sending " + backlog.size() + " buffered batches"));
            return null;
        }
    }

    private void handle(ControllerLink self, Message message) {
        // Read before taking the lock: sysfs reads must not hold up the collection tick.
        Message layout = message instanceof Message.Layout ? moduleLayout() : null;
        // A workload starts and stops outside the lock too: stopping waits for its current round, and the
        // drains must go on meanwhile or a busy workload overflows the area.
        Message exercised = message instanceof Message.Exercise exercise ? exercise(exercise) : null;
        synchronized (lock) {
            Message reply;
            if (layout != null) {
                reply = layout;
            } else if (exercised != null) {
                reply = exercised;
            } else if (message instanceof Message.Start start) {
                reply = start(start);
            } else if (message instanceof Message.Stop) {
                reply = plan == null ? new Message.Error("stop", "not collecting") : stopSession();
            } else if (message instanceof Message.Reset request) {
                reply = reset(request);
            } else {
                reply = new Message.Error(typeOf(message), "not a request an agent answers");
            }
            self.send(reply);
        }
    }

    private Message moduleLayout() {
        try {
            ModuleLayout layout = source.moduleLayout();
            return new Message.Modules(ModuleLayoutWriter.text(layout, "/sys/module/*/sections and notes"),
                    layout.modules().size(), null);
        } catch (IOException | RuntimeException e) {
            return new Message.Modules(null, 0, "cannot read the module layout: " + e.getMessage());
        }
    }

    private Message start(Message.Start request) {
        if (plan != null) {
            return new Message.Error("start", "already collecting (" + plan.summary() + "): stop first");
        }
        CollectionPlan requested;
        try {
            requested = CollectionPlan.from(request);
        } catch (IllegalArgumentException e) {
            return new Message.Error("start", e.getMessage());
        }
        try {
            source.start(requested);
        } catch (IOException | RuntimeException e) {
            log.accept("start refused: " + e.getMessage());
            return new Message.Error("start", String.valueOf(e.getMessage()));
        }
        plan = requested;
        sessionBatches = sessionEntries = sessionOverflows = 0;
        tick = collector.scheduleWithFixedDelay(this::collect, plan.periodMillis(), plan.periodMillis(),
                TimeUnit.MILLISECONDS);
        log.accept("started " + plan.summary());
        return new Message.Started(describeSession());
    }

    private Message reset(Message.Reset request) {
        if (plan == null) {
            return new Message.Error("reset", "not collecting");
        }
        try {
            source.drain();
        } catch (IOException e) {
            return new Message.Error("reset", e.getMessage());
        }
        outbox.discardUnsent();
        return new Message.ResetDone(nextSequence, request.reset());
    }

    /** Starts or stops a workload under the session's common handle. Does not hold the lock. */
    private Message exercise(Message.Exercise request) {
        if (!"vhost-net".equals(request.workload())) {
            return new Message.Error("exercise", "field workload: " + (request.workload() == null ? "missing"
                    : "'" + request.workload() + "'") + ", expected vhost-net");
        }
        if (request.running() == null) {
            return new Message.Error("exercise", "field running: missing, expected true or false");
        }
        synchronized (lock) {
            if (plan == null) {
                return new Message.Error("exercise", "not collecting: start a session with a commonHandle first");
            }
        }
        try {
            String summary = source.exercise(request.workload(), request.running());
            log.accept(summary);
            return new Message.Exercising(request.workload(), request.running(), summary);
        } catch (IOException | RuntimeException e) {
            log.accept("exercise refused: " + e.getMessage());
            return new Message.Error("exercise", String.valueOf(e.getMessage()));
        }
    }

    /** Disables collection, publishes the rest, and says what the session produced. Holds the lock. */
    private Message stopSession() {
        tick.cancel(false);
        CollectionPlan ended = plan;
        plan = null;
        String failure = null;
        try {
            publish(source.stop());
        } catch (IOException | RuntimeException e) {
            failure = String.valueOf(e.getMessage());
        }
        log.accept("stopped " + ended.summary() + " after " + sessionBatches + " batches, " + sessionEntries
                + " entries" + (failure == null ? "" : " (" + failure + ")"));
        if (failure != null) {
            return new Message.Error("stop", failure);
        }
        return new Message.Stopped(sessionBatches, sessionEntries, sessionOverflows, outbox.droppedBatches());
    }

    private void collect() {
        synchronized (lock) {
            if (plan == null) {
                return;
            }
            try {
                publish(source.drain());
            } catch (IOException | RuntimeException e) {
                log.accept("collection failed: " + e.getMessage());
                Message stopped = stopSession();
                // One notice, the stop's failure in it: sent as an error{stop} of its own, it was taken by a client
                // waiting for its own stop's answer (a client pairs an error with the oldest request of its name).
                sendToController(new Message.Error("collect", "collection failed and stopped: " + e.getMessage()
                        + (stopped instanceof Message.Error error ? "; stopping failed too: " + error.message() : "")));
            }
        }
    }

    /** Splits a drained chunk into batches and delivers them. Holds the lock. */
    private void publish(CoverageChunk chunk) {
        if (chunk.isEmpty() && !chunk.overflow()) {
            return;
        }
        int width = chunk.mode().wordsPerEntry();
        int step = AgentProtocol.MAX_BATCH_WORDS / width * width;
        long[] words = chunk.words();
        int from = 0;
        do {
            int to = Math.min(words.length, from + step);
            long[] part = from == 0 && to == words.length ? words : Arrays.copyOfRange(words, from, to);
            CoverageBatch batch = new CoverageBatch(nextSequence++, chunk.mode(), chunk.overflow() && from == 0, part);
            sessionBatches++;
            sessionEntries += batch.entryCount();
            sessionOverflows += batch.overflow() ? 1 : 0;
            if (controller == null) {
                outbox.hold(batch);
            } else {
                controller.send(batch, true);
            }
            from = to;
        } while (from < words.length);
    }

    private void sendToController(Message message) {
        if (controller != null) {
            controller.send(message);
        }
    }

    /**
     * Lets go of {@code link}: its unwritten batches wait for the next controller, a session that asked to
     * stop without its controller stops, and a client waiting for the slot may have it.
     */
    private void release(ControllerLink link, String why) {
        synchronized (lock) {
            List<CoverageBatch> unwritten = link.close();
            if (controller != link) {
                return;
            }
            controller = null;
            outbox.returnUnwritten(unwritten);
            lock.notifyAll();
            if (why != null) {
                log.accept(why);
            }
            if (plan != null && !plan.keepOnDisconnect()) {
                log.accept("the controller is gone and asked to stop then");
                stopSession();
            }
        }
    }

    private Message.SessionInfo describeSession() {
        return plan == null ? null : plan.describe(nextSequence, outbox.unsentCount());
    }

    /**
     * Stops collecting (kcov disabled first), lets the controller receive the last batches and a goodbye
     * for at most {@link #GOODBYE_MILLIS}, and stops listening. Never waits on a peer beyond that.
     */
    @Override
    public void close() {
        ControllerLink last;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (plan != null) {
                sendToController(stopSession());
            }
            sendToController(new Message.Bye("the agent is shutting down"));
            last = controller;
            if (last != null) {
                last.finish();
            }
            lock.notifyAll();
        }
        try {
            serverSocket.close();
        } catch (IOException e) {
            log.accept("closing the listening socket: " + e.getMessage());
        }
        pending.closeAll();
        if (last != null) {
            try {
                if (!last.awaitFinished(GOODBYE_MILLIS)) {
                    release(last, "controller " + last.peer() + " did not take the goodbye in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                release(last, null);
            }
        }
        collector.shutdownNow();
        timer.shutdownNow();
    }

    private static String typeOf(Message message) {
        return message.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
