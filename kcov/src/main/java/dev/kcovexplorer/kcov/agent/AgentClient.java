package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.Printable;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The controlling side of the agent protocol: connects, says hello, starts / stops / resets collection,
 * and hands every coverage batch to a {@link Listener} on its reader thread, in sequence order. Replies
 * to a request arrive after every batch sent before them, so when {@link #stop()} returns the listener
 * has seen all of the session's coverage.
 *
 * <pre>
 *   try (AgentClient agent = AgentClient.connect("localhost", 7070, null, 0, batch -> model.add(batch.words()))) {
 *       agent.start(new CollectionPlan(TraceMode.PC, 1 << 20, new int[] {1}, 0, false, 200, true));
 *       ...
 *       agent.stop();
 *   }
 * </pre>
 */
public final class AgentClient implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long REPLY_TIMEOUT_SECONDS = 60;

    /** Receives what the agent streams. Calls come from the client's reader thread: hand work off quickly. */
    @FunctionalInterface
    public interface Listener {
        void onBatch(CoverageBatch batch);

        /**
         * The agent's welcome, before any batch of this connection: a new {@link Message.Welcome#instance()}
         * means a restarted agent whose sequence numbers start again at 1.
         */
        default void onWelcome(Message.Welcome welcome) {
        }

        /**
         * A message that answers no request: {@code bye}, a collection error, a stop caused by the agent, the answer to a
         * reset that came after {@link #reset} gave up waiting for it.
         */
        default void onNotice(Message message) {
        }

        /** The connection ended; {@code cause} is null when this client closed it. */
        default void onDisconnected(IOException cause) {
        }
    }

    private final Socket socket;
    private final FrameCodec codec;
    private final Listener listener;
    private final Message.Welcome welcome;
    private final BlockingQueue<Message> replies = new LinkedBlockingQueue<>();
    private final Thread reader;
    /**
     * The request waiting for its answer, or null: one field, so the reader never matches an answer against one
     * request's name and another's message (a reset's number).
     */
    private volatile Pending pending;
    private volatile long lastSequence;
    private volatile boolean closing;
    private volatile IOException failure;

    private AgentClient(Socket socket, FrameCodec codec, Listener listener, Message.Welcome welcome) {
        this.socket = socket;
        this.codec = codec;
        this.listener = listener;
        this.welcome = welcome;
        this.reader = new Thread(this::readLoop, "agent-client-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Connects and says hello.
     *
     * @param token       the agent's token, or null when it has none
     * @param resumeAfter the last sequence number received from this agent over an earlier connection,
     *                    so the agent sends what was lost in between; 0 for a fresh start
     * @throws AgentException when the agent refuses (wrong token, another controller, other version)
     */
    public static AgentClient connect(String host, int port, String token, long resumeAfter, Listener listener)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(REPLY_TIMEOUT_SECONDS));
            FrameCodec codec = new FrameCodec(new BufferedInputStream(socket.getInputStream(), 1 << 16),
                    new BufferedOutputStream(socket.getOutputStream()));
            Message.Welcome welcome = handshake(codec, token, resumeAfter, host + ":" + port);
            socket.setSoTimeout(0);
            listener.onWelcome(welcome);
            AgentClient client = new AgentClient(socket, codec, listener, welcome);
            client.lastSequence = resumeAfter;
            client.reader.start();
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            if (e instanceof java.net.ConnectException) {
                throw new AgentException("no agent listening at " + host + ":" + port + " (" + e.getMessage() + ")");
            }
            throw e;
        }
    }

    /**
     * Hello, and when the agent asks, the proof that we know its token (the token itself never leaves);
     * returns the agent's welcome.
     */
    private static Message.Welcome handshake(FrameCodec codec, String token, long resumeAfter, String agent)
            throws IOException {
        codec.write(new Message.Hello(AgentProtocol.VERSION, "kcov-explorer", resumeAfter));
        Object reply = codec.read();
        if (reply instanceof Message.Challenge challenge) {
            if (token == null) {
                throw new AgentException("agent at " + agent + " requires a token");
            }
            if (challenge.nonce() == null || challenge.nonce().length() < 32) {
                throw new AgentException("agent at " + agent + " sent a challenge without a proper nonce");
            }
            codec.write(new Message.Auth(TokenCheck.proof(token, challenge.nonce())));
            reply = codec.read();
        }
        if (reply instanceof Message.Error error) {
            throw new AgentException("agent at " + agent + " refused: " + Printable.of(error.message()));
        }
        if (!(reply instanceof Message.Welcome welcome)) {
            throw new AgentException("agent at " + agent + " did not answer hello with welcome");
        }
        if (welcome.instance() == null || welcome.kernel() == null || welcome.kernel().usbBuses() == null) {
            throw new AgentException("agent at " + agent + " sent a welcome without its instance or kernel");
        }
        return welcome;
    }

    /** What the agent said about its machine and any session already running. */
    public Message.Welcome welcome() {
        return welcome;
    }

    /** Starts collecting; returns the session as the agent runs it. */
    public Message.SessionInfo start(CollectionPlan plan) throws IOException {
        return request("start", plan.toStart(), Message.Started.class).session();
    }

    /** Stops collecting; every batch of the session has reached the listener when this returns. */
    public Message.Stopped stop() throws IOException {
        return request("stop", new Message.Stop(), Message.Stopped.class);
    }

    /**
     * Discards what the agent collected and did not send yet; returns the next sequence number. {@code reset} numbers
     * this reset: only an answer that carries it answers it (a late answer to an earlier reset, which names an earlier
     * point, goes to {@link Listener#onNotice}).
     */
    public long reset(long reset) throws IOException {
        return request("reset", new Message.Reset(reset), Message.ResetDone.class).nextSequence();
    }

    /**
     * Where the target's kernel has its modules loaded now (empty when none is), checked line by line as
     * a layout file is.
     *
     * @throws AgentException when the agent cannot read it (not root) or is too old to be asked
     */
    public ModuleLayout moduleLayout() throws IOException {
        Message.Modules reply = request("layout", new Message.Layout(), Message.Modules.class);
        if (reply.problem() != null || reply.layout() == null) {
            throw new AgentException(reply.problem() == null ? "the agent sent no module layout"
                    : Printable.of(reply.problem()));
        }
        if (reply.modules() == 0) {
            return ModuleLayout.NONE;
        }
        return ModuleLayoutReader.read(new BufferedReader(new StringReader(reply.layout())),
                Path.of("the agent's module layout"));
    }

    /**
     * Starts or stops a workload under the session's common handle ({@code vhost-net}); returns what the agent
     * says it did.
     */
    public Message.Exercising exercise(String workload, boolean running) throws IOException {
        return request("exercise", new Message.Exercise(workload, running), Message.Exercising.class);
    }

    /** The sequence number of the last batch received (pass it to {@link #connect} when reconnecting). */
    public long lastSequence() {
        return lastSequence;
    }

    private synchronized <T extends Message> T request(String name, Message request, Class<T> expected)
            throws IOException {
        if (!reader.isAlive()) {
            throw new AgentException("not connected to the agent" + (failure == null ? "" : ": " + failure.getMessage()));
        }
        replies.clear();
        pending = new Pending(name, request);
        try {
            codec.write(request);
            Message reply = replies.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (reply == null) {
                throw new AgentException(failure != null ? "connection lost during " + name + ": " + failure.getMessage()
                        : "the agent did not answer " + name + " within " + REPLY_TIMEOUT_SECONDS + " s");
            }
            if (reply instanceof Message.Error error) {
                throw new AgentException(Printable.of(error.message()));
            }
            if (!expected.isInstance(reply)) {
                throw new AgentException("the agent answered " + name + " with " + reply);
            }
            return expected.cast(reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while waiting for the agent to answer " + name);
        } finally {
            pending = null;
        }
    }

    private void readLoop() {
        IOException cause = null;
        try {
            while (true) {
                Object frame = codec.read();
                if (frame instanceof CoverageBatch batch) {
                    lastSequence = batch.sequence();
                    listener.onBatch(batch);
                } else if (answersPendingRequest((Message) frame)) {
                    replies.add((Message) frame);
                } else {
                    listener.onNotice((Message) frame);
                }
            }
        } catch (IOException e) {
            cause = closing ? null : e;
        } catch (RuntimeException e) {
            cause = new IOException("the batch listener failed: " + e, e);
        } finally {
            failure = cause;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            Pending unanswered = pending;
            replies.add(new Message.Error(unanswered == null ? null : unanswered.name(), cause == null ? "connection closed" : cause.getMessage()));
            listener.onDisconnected(cause);
        }
    }

    private boolean answersPendingRequest(Message message) {
        Pending asked = pending;
        if (asked == null) {
            return false;
        }
        if (message instanceof Message.Error error) {
            return asked.name().equals(error.request());
        }
        return switch (asked.name()) {
            case "start" -> message instanceof Message.Started;
            case "stop" -> message instanceof Message.Stopped;
            case "reset" -> message instanceof Message.ResetDone done
                    && asked.request() instanceof Message.Reset reset && done.reset() == reset.reset();
            case "layout" -> message instanceof Message.Modules;
            case "exercise" -> message instanceof Message.Exercising;
            default -> false;
        };
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request sent, by its name in errors and answers, and the message itself (a reset's number). */
    private record Pending(String name, Message request) {
    }
}
