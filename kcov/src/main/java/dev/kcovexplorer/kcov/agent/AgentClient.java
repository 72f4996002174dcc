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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The controlling side of the agent protocol: connects, says hello, starts / stops / resets collection,
 * and hands every coverage batch to a {@link Listener} on its reader thread, in sequence order. Replies
 * to a request arrive after every batch sent before them, so when {@link #stop()} returns the listener
 * has seen all of the session's coverage. The agent answers requests one by one in the order they came; a request
 * waits a minute for its answer, and the answer to one given up goes to {@link Listener#onNotice} when it comes.
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
    private static final long REPLY_TIMEOUT_MILLIS = 60_000;

    /** Receives what the agent streams. Calls come from the client's reader thread: hand work off quickly. */
    @FunctionalInterface
    public interface Listener {
        void onBatch(CoverageBatch batch);

        /**
         * The agent's welcome, before any batch of this connection: a new {@link Message.Welcome#instance()}
         * means a restarted agent whose sequence numbers start again at 1. Called by {@link #connect} on its caller's
         * thread before the reader starts, so a listener can decide here what the connection's batches count for.
         */
        default void onWelcome(Message.Welcome welcome) {
        }

        /**
         * A message that answers no request: {@code bye}, a collection error, a stop caused by the agent, or the answer
         * to a request that came after the request gave up waiting for it (a reset's names the reset it confirms).
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
    private final Thread reader;
    /** How long a request waits for its answer before it is given up; tests shorten it for one request. */
    private volatile long replyTimeoutMillis = REPLY_TIMEOUT_MILLIS;
    /**
     * Requests sent and not answered yet, oldest first. The agent answers every request once, in the order they came,
     * so an answer belongs to the oldest request here that it can answer. A request given up (its wait ended) keeps its
     * place until its answer comes, which then goes to the listener: never taken for a later request's of the same kind,
     * never dropped. Guarded by itself, as is {@link #ended}.
     */
    private final Deque<Pending> unanswered = new ArrayDeque<>();
    /** The reader has ended: no answer comes any more. */
    private boolean ended;
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
            socket.setSoTimeout((int) REPLY_TIMEOUT_MILLIS);
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
        Message reply = answerTo(send(name, request));
        if (reply instanceof Message.Error error) {
            throw new AgentException(Printable.of(error.message()));
        }
        return expected.cast(reply);
    }

    /** How long the requests asked from now on wait for their answers (a test gives up one request quickly, not the next). */
    void replyTimeoutMillis(long millis) {
        replyTimeoutMillis = millis;
    }

    /** Writes {@code request}, unanswered until its answer comes. */
    private Pending send(String name, Message request) throws IOException {
        Pending asked = new Pending(name, request, new CompletableFuture<>());
        synchronized (unanswered) {
            if (ended) {
                throw new AgentException("not connected to the agent" + (failure == null ? "" : ": " + failure.getMessage()));
            }
            unanswered.addLast(asked);
        }
        try {
            codec.write(request);
        } catch (IOException e) {
            asked.giveUp("cannot send " + name + ": " + e.getMessage());
            throw e;
        }
        return asked;
    }

    /**
     * The answer to {@code asked}: its reply, or an error, or why none came. A request whose wait ends without one is
     * given up, unless its answer came meanwhile.
     */
    private Message answerTo(Pending asked) throws AgentException {
        try {
            asked.answer().get(replyTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            asked.giveUp("the agent did not answer " + asked.name() + " within " + (replyTimeoutMillis % 1000 == 0
                    ? replyTimeoutMillis / 1000 + " s" : replyTimeoutMillis + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            asked.giveUp("interrupted while waiting for the agent to answer " + asked.name());
        } catch (ExecutionException e) {
            // the connection ended: the outcome says so
        }
        return asked.outcome();
    }

    private void readLoop() {
        IOException cause = null;
        try {
            while (true) {
                Object frame = codec.read();
                if (frame instanceof CoverageBatch batch) {
                    lastSequence = batch.sequence();
                    listener.onBatch(batch);
                } else {
                    Message message = (Message) frame;
                    Pending asked = takeAnswered(message);
                    if (asked == null || !asked.answer().complete(message)) {
                        listener.onNotice(message); // answers none, or one given up
                    }
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
            List<Pending> left;
            synchronized (unanswered) {
                ended = true;
                left = List.copyOf(unanswered);
                unanswered.clear();
            }
            for (Pending asked : left) {
                asked.giveUp(cause == null ? "the connection was closed during " + asked.name()
                        : "connection lost during " + asked.name() + ": " + cause.getMessage());
            }
            listener.onDisconnected(cause);
        }
    }

    /**
     * The request {@code message} answers, taken off the unanswered with those before it (the agent answers in order:
     * one it passed over is never answered), or null when it answers none.
     */
    private Pending takeAnswered(Message message) {
        synchronized (unanswered) {
            if (unanswered.stream().noneMatch(asked -> asked.isAnsweredBy(message))) {
                return null;
            }
            Pending oldest;
            do {
                oldest = unanswered.removeFirst();
            } while (!oldest.isAnsweredBy(message));
            return oldest;
        }
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

    /**
     * A request sent: its name in errors and answers, the message itself (a reset's number), and its answer, completed
     * once by whichever comes first: the reply, or giving up (no reply in time, the connection ended).
     */
    private record Pending(String name, Message request, CompletableFuture<Message> answer) {
        boolean isAnsweredBy(Message message) {
            if (message instanceof Message.Error error) {
                return name.equals(error.request());
            }
            return switch (name) {
                case "start" -> message instanceof Message.Started;
                case "stop" -> message instanceof Message.Stopped;
                case "reset" -> message instanceof Message.ResetDone done
                        && request instanceof Message.Reset reset && done.reset() == reset.reset();
                case "layout" -> message instanceof Message.Modules;
                case "exercise" -> message instanceof Message.Exercising;
                default -> false;
            };
        }

        /** Stops waiting, unless the answer came meanwhile: an answer that comes later is a notice. */
        void giveUp(String why) {
            answer.completeExceptionally(new AgentException(why));
        }

        /** The answer, or why the request was given up. */
        Message outcome() throws AgentException {
            try {
                return answer.getNow(null);
            } catch (CompletionException e) {
                throw (AgentException) e.getCause();
            }
        }
    }
}
