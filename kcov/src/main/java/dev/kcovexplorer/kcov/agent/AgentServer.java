package dev.kcovexplorer.kcov.agent;

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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's server: one controller at a time starts, stops and resets collection from a
 * {@link CoverageSource} and receives its coverage as numbered batches, drained at the planned period.
 * When the controller goes away the session keeps collecting into a bounded buffer, or stops, as the
 * start request asked; the next controller receives the buffered batches first. {@link #close()} (the
 * SIGTERM path) disables kcov before anything else. The protocol is docs/agent-protocol.md.
 */
public final class AgentServer implements AutoCloseable {
    private static final int HELLO_TIMEOUT_MILLIS = 10_000;
    /** 8 Mi words (64 MiB) of batches wait for a controller; older ones are dropped beyond that. */
    private static final long UNSENT_LIMIT_WORDS = 8L << 20;
    /** 1 Mi words of sent batches stay for a client that resumes after a lost connection. */
    private static final long SENT_LIMIT_WORDS = 1L << 20;

    private final ServerSocket serverSocket;
    private final CoverageSource source;
    private final TokenCheck token;
    private final Consumer<String> log;
    private final ScheduledExecutorService collector;
    private final Thread acceptThread;
    private final Object lock = new Object();
    private final String instance = UUID.randomUUID().toString();

    // Guarded by lock.
    private final Outbox outbox = new Outbox(UNSENT_LIMIT_WORDS, SENT_LIMIT_WORDS);
    private Controller controller;
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
        this.token = token;
        this.log = log;
        this.collector = Executors.newSingleThreadScheduledExecutor(task -> daemon(task, "agent-collector"));
        this.acceptThread = daemon(this::acceptLoop, "agent-accept");
    }

    /**
     * Binds and starts serving.
     *
     * @param token the shared secret clients must present, or null; required unless {@code address} is a
     *              loopback address
     */
    public static AgentServer start(InetSocketAddress address, String token, CoverageSource source,
            Consumer<String> log) throws IOException {
        if (token == null && (address.getAddress() == null || !address.getAddress().isLoopbackAddress())) {
            throw new AgentException("listening on " + address.getHostString() + " needs a token (--token-file): "
                    + "anyone who can reach that address could otherwise control kcov");
        }
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
                socket.setTcpNoDelay(true);
                daemon(() -> serve(socket), "agent-connection").start();
            } catch (SocketException closedWhileAccepting) {
                return;
            } catch (IOException e) {
                log.accept("accept failed: " + e.getMessage());
            }
        }
    }

    private void serve(Socket socket) {
        String peer = socket.getRemoteSocketAddress().toString().replaceFirst("^/", "");
        Controller self = null;
        try (socket) {
            FrameCodec codec = new FrameCodec(new BufferedInputStream(socket.getInputStream()),
                    new BufferedOutputStream(socket.getOutputStream()));
            socket.setSoTimeout(HELLO_TIMEOUT_MILLIS);
            Message.Hello hello = readHello(codec, peer);
            if (hello == null) {
                return;
            }
            self = new Controller(socket, codec, peer);
            if (!admit(self, hello)) {
                return;
            }
            socket.setSoTimeout(0);
            while (true) {
                Object frame = codec.read();
                if (frame instanceof Message message) {
                    handle(self, message);
                } else {
                    codec.write(new Message.Error("batch", "clients do not send coverage batches"));
                }
            }
        } catch (IOException e) {
            if (self != null) {
                log.accept("controller " + peer + " disconnected: " + e.getMessage());
            }
        } finally {
            if (self != null) {
                controllerGone(self);
            }
        }
    }

    /** The client's hello if it may talk to us; otherwise it was told why and null is returned. */
    private Message.Hello readHello(FrameCodec codec, String peer) throws IOException {
        Object first = codec.read();
        if (!(first instanceof Message.Hello hello)) {
            codec.write(new Message.Error("hello", "the first message must be hello"));
            return null;
        }
        if (hello.protocol() != AgentProtocol.VERSION) {
            codec.write(new Message.Error("hello", "protocol version " + hello.protocol()
                    + " is not supported: this agent speaks version " + AgentProtocol.VERSION));
            return null;
        }
        if (token != null && !token.accepts(hello.token())) {
            log.accept("refused " + peer + ": wrong or missing token");
            codec.write(new Message.Error("hello", "invalid token"));
            return null;
        }
        return hello;
    }

    /** Makes {@code self} the controller and sends it the welcome and the backlog, unless one exists. */
    private boolean admit(Controller self, Message.Hello hello) throws IOException {
        synchronized (lock) {
            if (closed) {
                self.codec.write(new Message.Error("hello", "the agent is shutting down"));
                return false;
            }
            if (controller != null) {
                log.accept("refused " + self.peer + ": " + controller.peer + " is the controller");
                self.codec.write(new Message.Error("hello", "another controller is connected (" + controller.peer
                        + "); the agent serves one at a time"));
                return false;
            }
            controller = self;
            self.codec.write(new Message.Welcome(AgentProtocol.VERSION, "kcov-explorer agent", instance,
                    source.kernelInfo(), describeSession()));
            List<CoverageBatch> backlog = outbox.forController(hello.resumeAfter());
            for (CoverageBatch batch : backlog) {
                self.codec.write(batch);
            }
            outbox.unsentDelivered();
            log.accept("controller " + self.peer + " connected"
                    + (backlog.isEmpty() ? "" : "; sent " + backlog.size() + " buffered batches"));
            return true;
        }
    }

    private void handle(Controller self, Message message) throws IOException {
        synchronized (lock) {
            Message reply;
            if (message instanceof Message.Start start) {
                reply = start(start);
            } else if (message instanceof Message.Stop) {
                reply = plan == null ? new Message.Error("stop", "not collecting") : stopSession();
            } else if (message instanceof Message.Reset) {
                reply = reset();
            } else {
                reply = new Message.Error(typeOf(message), "not a request an agent answers");
            }
            self.codec.write(reply);
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
        } catch (IOException e) {
            log.accept("start refused: " + e.getMessage());
            return new Message.Error("start", e.getMessage());
        }
        plan = requested;
        sessionBatches = sessionEntries = sessionOverflows = 0;
        tick = collector.scheduleWithFixedDelay(this::collect, plan.periodMillis(), plan.periodMillis(),
                TimeUnit.MILLISECONDS);
        log.accept("started " + plan.summary());
        return new Message.Started(describeSession());
    }

    private Message reset() {
        if (plan == null) {
            return new Message.Error("reset", "not collecting");
        }
        try {
            source.drain();
        } catch (IOException e) {
            return new Message.Error("reset", e.getMessage());
        }
        outbox.discardUnsent();
        return new Message.ResetDone(nextSequence);
    }

    /** Disables collection, publishes the rest, and says what the session produced. Holds the lock. */
    private Message stopSession() {
        tick.cancel(false);
        CollectionPlan ended = plan;
        plan = null;
        String failure = null;
        try {
            publish(source.stop());
        } catch (IOException e) {
            failure = e.getMessage();
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
                sendToController(new Message.Error("collect", "collection failed and stopped: " + e.getMessage()));
                if (stopped instanceof Message.Error error) {
                    sendToController(error);
                }
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
            deliver(batch);
            from = to;
        } while (from < words.length);
    }

    private void deliver(CoverageBatch batch) {
        Controller current = controller;
        if (current == null) {
            outbox.hold(batch);
            return;
        }
        try {
            current.codec.write(batch);
            outbox.sent(batch);
        } catch (IOException e) {
            outbox.hold(batch);
            controller = null;
            current.close(); // its connection thread notices and applies the disconnect policy
        }
    }

    private void sendToController(Message message) {
        Controller current = controller;
        if (current != null) {
            try {
                current.codec.write(message);
            } catch (IOException e) {
                current.close();
            }
        }
    }

    private void controllerGone(Controller self) {
        synchronized (lock) {
            if (controller == self) {
                controller = null;
            }
            if (plan != null && !plan.keepOnDisconnect() && controller == null) {
                log.accept("the controller is gone and asked to stop then");
                stopSession();
            }
        }
    }

    private Message.SessionInfo describeSession() {
        return plan == null ? null : plan.describe(nextSequence, outbox.unsentCount());
    }

    /** Stops collecting (kcov disabled first), says goodbye to the controller and stops listening. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (plan != null) {
                Message stopped = stopSession();
                sendToController(stopped);
            }
            sendToController(new Message.Bye("the agent is shutting down"));
            if (controller != null) {
                controller.close();
                controller = null;
            }
        }
        try {
            serverSocket.close();
        } catch (IOException e) {
            log.accept("closing the listening socket: " + e.getMessage());
        }
        collector.shutdownNow();
    }

    private static String typeOf(Message message) {
        return message.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The connected controller. */
    private record Controller(Socket socket, FrameCodec codec, String peer) {
        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
