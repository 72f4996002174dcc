package dev.kcovexplorer.app.live;

import dev.kcovexplorer.app.model.ErrorText;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.agent.AgentClient;
import dev.kcovexplorer.kcov.agent.AgentException;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import dev.kcovexplorer.kcov.agent.CoverageSource;
import dev.kcovexplorer.kcov.agent.KcovCoverageSource;
import dev.kcovexplorer.kcov.agent.Message;
import dev.kcovexplorer.kcov.live.KcovDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A live coverage session, without a window: connects to a coverage agent (or serves this machine's kcov
 * from an agent in this process), starts, stops and resets collection, counts what arrives in a
 * {@link LiveCoverage}, and every {@link #UPDATE_MILLIS} tells its observers the totals and the PCs seen
 * for the first time. A lost connection is retried every second, resuming after the last batch received,
 * so nothing received is lost and nothing is counted twice.
 *
 * <p>Threads: every change of the connection runs on one request thread, in the order asked, so commands
 * from any thread never race each other and a slow agent never blocks the caller; batches are counted on
 * the agent client's reader thread; updates come from a clock thread. Observers are called through the
 * executor they were registered with (a window's UI thread, or {@code Runnable::run}).
 */
public final class LiveCollector implements AutoCloseable {
    /** Updates per second: 1000 / 150 ≈ 6.7, above the 5 the window promises. */
    public static final long UPDATE_MILLIS = 150;
    private static final long RETRY_MILLIS = 1000;
    /** A reset the agent has not confirmed after this long is said to be awaited (its reply may take a minute). */
    private static final long RESET_WAIT_SAID_MILLIS = 2000;
    /** Hit counts alone (no new PC) count as a change at most this often: they colour no new line. */
    private static final long COUNTS_MILLIS = 1000;

    /** What a collection tells the window, the session's live run, or a command-line tool. */
    public interface Observer {
        default void stateChanged(LiveState state, String status) {
        }

        /** A message that leaves the state as it is ("start refused: …", "the agent reports: …"). */
        default void statusChanged(String status) {
        }

        /** The target's kernel, on each connection. */
        default void kernelKnown(Message.KernelInfo kernel) {
        }

        /** Where the target's kernel has its modules loaded, read when collection starts and stops. */
        default void modulesKnown(ModuleLayout layout) {
        }

        /** One update, unless paused. */
        default void updated(Tick tick) {
        }
    }

    /**
     * One update: the totals with the PCs first seen since the previous update, the rate, and whether the
     * coverage changed (new PCs; a reset; or hit counts that rose, said at most once a second).
     */
    public record Tick(LiveCoverage.Update totals, long pcsPerSecond, boolean coverageChanged) {
    }

    private record Subscription(Executor executor, Observer observer) {
    }

    /** What was asked to connect to: an agent at host:port, or a source served from this process. */
    private static final class Target {
        private final String token;
        private final CoverageSource source;
        private volatile String host;
        private volatile int port;

        Target(String host, int port, String token, CoverageSource source) {
            this.host = host;
            this.port = port;
            this.token = token;
            this.source = source;
        }

        String describe() {
            return host + ":" + port;
        }
    }

    private final ScheduledExecutorService requests = Executors.newSingleThreadScheduledExecutor(daemon("live-requests"));
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(daemon("live-updates"));
    private final LiveCoverage coverage = new LiveCoverage();
    private final List<Subscription> observers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean resetSinceUpdate = new AtomicBoolean();
    /** The target wanted now, set at once by the caller: work for a target since replaced drops out. */
    private volatile Target wanted;
    private volatile boolean paused;
    /** The target's module layout as last read, NONE before it was. */
    private volatile ModuleLayout modules = ModuleLayout.NONE;
    private volatile long layoutReadNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
    private volatile boolean closed;
    /** Where the coverage came from, "live from HOST:PORT" once connected; kept after a disconnect. */
    private volatile String origin = "live";
    /** What the last collection started here collects ("USB bus 1, USB bus 2"), for frozen runs; null before. */
    private volatile String collecting;
    /**
     * The connection last adopted at its welcome (its target still wanted then), until it is let go of: what any other
     * delivers (a dial abandoned at its welcome, a reader held past the close of a connection replaced or dropped) is not
     * said, nor does it change the state.
     */
    private volatile Listener currentConnection;
    // Owned by the request thread.
    private AgentClient client;
    /** The plan of the last start asked, for what a late answer to it starts. */
    private CollectionPlan startAsked;
    private AgentServer localAgent;
    private LiveState state = LiveState.DISCONNECTED;
    /**
     * Starts the agent answered, counted by the request thread: a stop heard before the answer to a start (the late
     * answer to a stop given up, which the agent sends first) ended the session before it, not the one that runs now.
     */
    private volatile long startsAnswered;
    // Owned by the clock thread: the previous update, for the rate, and the last change announced.
    private long previousPcs;
    private long previousNanos = System.nanoTime();
    private long reportedPcs;
    private long reportedNanos;
    /** Clock thread: the status says a reset awaits the agent's confirmation; its confirmation is then said too. */
    private boolean resetWaitSaid;

    public LiveCollector() {
        clock.scheduleWithFixedDelay(this::publish, UPDATE_MILLIS, UPDATE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Tells {@code observer}, through {@code executor}, everything from now on. */
    public void observe(Executor executor, Observer observer) {
        observers.add(new Subscription(executor, observer));
    }

    /** Whether this machine's kernel offers kcov to us ({@code /sys/kernel/debug/kcov} exists). */
    public static boolean thisMachineHasKcov() {
        return Files.exists(KcovDevice.DEFAULT_PATH);
    }

    /** Connects to the agent at {@code host:port} ({@code token} null when it has none), dropping any other. */
    public void connect(String host, int port, String token) {
        open(new Target(host, port, token, null));
    }

    /** Collects from this machine's kernel: an agent in this process on a free loopback port, connected to. */
    public void connectToThisMachine() {
        connectTo(new KcovCoverageSource(KcovDevice.DEFAULT_PATH));
    }

    /** Serves {@code source} from an agent in this process on a free loopback port, and connects to it. */
    public void connectTo(CoverageSource source) {
        open(new Target(null, 0, null, source));
    }

    /** Starts collecting as {@code plan} says; coverage adds to what this live session already holds. */
    public void start(CollectionPlan plan) {
        onRequestThread(() -> {
            AgentClient current = requireClient();
            if (current != null) {
                try {
                    readModuleLayout(current); // before the first batch: its module PCs can be placed at once
                    startAsked = plan;
                    long resets = coverage.resetsAsked();
                    long next = current.start(plan).nextSequence();
                    startsAnswered++;
                    resetConfirmed(resets, next); // a new session is afresh
                    collecting = plan.sources();
                    setState(LiveState.COLLECTING, "collecting: " + plan.summary());
                } catch (IOException | RuntimeException e) {
                    failed("start refused", e);
                }
            }
        });
    }

    /**
     * Stops collection on the target; what was received stays and can be frozen into a run. Completes once
     * every batch of the session has arrived (or the stop failed, or there was nothing to stop).
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.complete(null);
            return done;
        }
        onRequestThread(() -> {
            AgentClient current = requireClient();
            if (current != null) {
                try {
                    Message.Stopped stopped = current.stop();
                    readModuleLayout(current); // modules loaded while collecting (a device plugged in)
                    setState(LiveState.CONNECTED, "stopped after " + stopped.entries() + " PCs in " + stopped.batches()
                            + " batches" + (stopped.overflowBatches() > 0
                                    ? "; the kernel dropped coverage " + stopped.overflowBatches() + " times" : ""));
                } catch (IOException | RuntimeException e) {
                    failed("stop failed", e);
                }
            }
            done.complete(null);
        });
        return done;
    }

    /**
     * Starts or stops a workload on the target under the session's common handle ({@code vhost-net} traffic);
     * completes with what the agent says it did, or exceptionally with why not (also said in the status).
     */
    public CompletableFuture<String> exercise(String workload, boolean running) {
        CompletableFuture<String> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new AgentException("the live session is closed"));
            return done;
        }
        onRequestThread(() -> {
            AgentClient current = requireClient();
            if (current == null) {
                done.completeExceptionally(new AgentException("not connected to an agent"));
                return;
            }
            try {
                String summary = current.exercise(workload, running).summary();
                status(summary);
                done.complete(summary);
            } catch (IOException | RuntimeException e) {
                failed(workload + (running ? " start" : " stop") + " refused", e);
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Where the target has its modules loaded, as read when collection last started or stopped;
     * {@link ModuleLayout#NONE} when it could not be read (the status said why) or no module is loaded.
     */
    public ModuleLayout moduleLayout() {
        return modules;
    }

    /**
     * Reads the module layout again (at most once a second): PCs arrived in module space that the layout
     * read so far does not place, so a module was loaded since.
     */
    public void refreshModuleLayout() {
        long now = System.nanoTime();
        if (now - layoutReadNanos < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        layoutReadNanos = now;
        onRequestThread(() -> {
            if (client != null) {
                readModuleLayout(client);
            }
        });
    }

    /** Asks the agent for the module layout; a refusal (not root, an older agent) is a status, not a failure. */
    private void readModuleLayout(AgentClient current) {
        try {
            ModuleLayout layout = current.moduleLayout();
            modules = layout;
            emit(observer -> observer.modulesKnown(layout));
        } catch (IOException | RuntimeException e) {
            status("no module layout: " + ErrorText.of(e) + "; coverage in modules cannot be shown");
        }
    }

    /**
     * Forgets the coverage received so far, here at once and in the agent's not yet sent batches; batches the agent
     * made before its reset and still on their way are dropped when they come (they would bring the old coverage back).
     * An agent that cannot be asked now (not collecting, the connection lost) or does not answer resets once it is
     * reached collecting again, or starts a new session: until then nothing it sends is counted, as nothing says which
     * of it is old.
     */
    public void reset() {
        coverage.clear();
        long resets = coverage.resetsAsked();
        resetSinceUpdate.set(true);
        onRequestThread(() -> {
            if (client != null && state == LiveState.COLLECTING) {
                confirmReset(client);
            }
        });
        onClock(this::publish);
        try {
            clock.schedule(() -> sayResetWait(resets), RESET_WAIT_SAID_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed: nothing more to say
        }
    }

    /**
     * Says that reset {@code resets} still awaits the agent, unless a later one was asked or it was confirmed: an agent
     * that answers in time answers in milliseconds, and meanwhile the coverage that arrives is held, out of view. Clock
     * thread, as the confirmation's status ({@link #resetConfirmed}), so that the two are said in the order the
     * coverage changed.
     */
    private void sayResetWait(long resets) {
        if (coverage.resetsAsked() == resets && coverage.awaitsReset()) {
            resetWaitSaid = true;
            status("waiting for the agent to confirm the reset; coverage that arrives meanwhile is held, not shown");
        }
    }

    /** The agent confirmed resets, answering this connection's request. Request thread. */
    private void resetConfirmed(long resets, long nextSequence) {
        coverage.resetConfirmed(resets, nextSequence);
        sayResetConfirmed();
    }

    /** Says that the resets asked were confirmed, when the status said the agent was awaited. */
    private void sayResetConfirmed() {
        onClock(() -> {
            if (resetWaitSaid && !coverage.awaitsReset()) {
                resetWaitSaid = false;
                status("the agent confirmed the reset; coverage counts again");
            }
        });
    }

    /** Asks the agent to reset, unless a reset asked before this one already confirmed every reset asked. */
    private void confirmReset(AgentClient current) {
        if (!coverage.awaitsReset()) {
            return;
        }
        long resets = coverage.resetsAsked(); // each asked before the request: its answer confirms them all
        try {
            resetConfirmed(resets, current.reset(resets));
        } catch (IOException | RuntimeException e) {
            status("reset not confirmed: " + ErrorText.of(e) + "; coverage counts again once the agent's answer comes,"
                    + " it resets (when reached collecting again) or starts collecting");
        }
    }

    /**
     * The agent started collecting, answering a start that gave up waiting for it (a minute): the state follows the
     * agent, not the "start refused" the give-up said. The answer confirms no reset: a reset asked since that start was
     * sent came after it or not, nothing says; one awaited is asked now, as when an agent is reached collecting again.
     * Request thread.
     */
    private void startedLate() {
        startsAnswered++;
        collecting = startAsked == null ? null : startAsked.sources();
        setState(LiveState.COLLECTING, "collecting" + (startAsked == null ? "" : ": " + startAsked.summary())
                + " (the agent's late answer to start)");
        confirmReset(client);
    }

    /** Holds the updates still (coverage keeps arriving and is counted) or lets them go on. */
    public void setPaused(boolean pause) {
        paused = pause;
    }

    /** Closes the connection; the agent goes on or stops as the start request asked. */
    public void disconnect() {
        wanted = null;
        onRequestThread(() -> {
            closeConnection();
            setState(LiveState.DISCONNECTED, "not connected");
        });
    }

    /**
     * Everything received so far as a normal run, for a session's run list and for saving; cheap enough to
     * call on every change (it sorts the unique PCs).
     */
    public RunInput freeze(String label) {
        String what = collecting;
        return coverage.toRun(label, what == null ? origin : origin + ": " + what);
    }

    /** Times coverage was lost in this live session (an overflowed area, batches that never came). */
    public long losses() {
        return coverage.losses();
    }

    /** Where the coverage comes from: "live from HOST:PORT" once connected, "live" before. */
    public String origin() {
        return origin;
    }

    /** Whether nothing was received since the start or the last reset. */
    public boolean isEmpty() {
        return coverage.isEmpty();
    }

    /** How often {@code pc} was recorded in this live session. */
    public int hits(long pc) {
        return coverage.hits(pc);
    }

    /** Ends the updates and lets go of the connection and this process's agent (on the request thread). */
    @Override
    public void close() {
        closed = true;
        wanted = null;
        clock.shutdownNow();
        onRequestThread(this::closeConnection);
        requests.shutdown(); // after the close it was just handed
    }

    private void open(Target target) {
        wanted = target;
        onRequestThread(() -> {
            closeConnection();
            if (wanted != target) {
                return;
            }
            if (target.source != null && !serveLocally(target)) {
                return;
            }
            setState(LiveState.CONNECTING, "connecting to " + target.describe());
            dial(target, false);
        });
    }

    private boolean serveLocally(Target target) {
        setState(LiveState.CONNECTING, "starting an agent in this process");
        try {
            localAgent = AgentServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null,
                    target.source, line -> { });
        } catch (IOException | RuntimeException e) {
            setState(LiveState.DISCONNECTED, "cannot serve this machine's kcov: " + ErrorText.of(e));
            return false;
        }
        target.host = localAgent.address().getHostString();
        target.port = localAgent.address().getPort();
        return true;
    }

    /** Connects to {@code target}; a first attempt that fails gives up, a retry tries again later. */
    private void dial(Target target, boolean retrying) {
        try {
            Listener listener = new Listener(target);
            AgentClient opened = AgentClient.connect(target.host, target.port, target.token, coverage.lastSequence(),
                    listener);
            // Adopted at its welcome, or not (currentConnection changes on this thread only).
            if (closed || currentConnection != listener) {
                opened.close();
                return;
            }
            client = opened;
            origin = "live from " + target.describe();
            Message.Welcome welcome = opened.welcome();
            emit(observer -> observer.kernelKnown(welcome.kernel()));
            boolean running = welcome.session() != null;
            if (running) {
                confirmReset(opened); // a Reset it missed: what it kept for us is old coverage
            }
            setState(running ? LiveState.COLLECTING : LiveState.CONNECTED,
                    (running ? "collecting (the agent kept going)" : "connected") + " to " + target.describe());
        } catch (IOException | RuntimeException e) {
            if (closed || wanted != target) {
                return;
            }
            if (retrying) {
                status("connection to " + target.describe() + " lost; retrying: " + ErrorText.of(e));
                retryLater(target);
            } else {
                closeConnection();
                setState(LiveState.DISCONNECTED, "cannot connect to " + target.describe() + ": " + ErrorText.of(e));
            }
        }
    }

    private void retryLater(Target target) {
        try {
            requests.schedule(() -> {
                if (!closed && wanted == target) {
                    dial(target, true);
                }
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile: nothing to retry for
        }
    }

    /** The connection dropped without being asked to: say so and retry while the target is still wanted. */
    private void lost(Target target, IOException cause) {
        if (closed || wanted != target || client == null) {
            return;
        }
        client.close();
        client = null; // this process's agent, if it is one, stays to be dialled again
        currentConnection = null;
        setState(LiveState.RECONNECTING, "connection to " + target.describe() + " lost (" + cause.getMessage()
                + "); retrying");
        retryLater(target);
    }

    /** Lets go of the connection and of this process's agent. Request thread. */
    private void closeConnection() {
        currentConnection = null;
        if (client != null) {
            client.close();
            client = null;
        }
        if (localAgent != null) {
            localAgent.close();
            localAgent = null;
        }
    }

    /** One update to every observer, unless paused. Clock thread. */
    private void publish() {
        if (paused) {
            return;
        }
        LiveCoverage.Update update = coverage.takeUpdate();
        long now = System.nanoTime();
        long rate = Math.max(0, (update.pcs() - previousPcs) * 1_000_000_000L / Math.max(1, now - previousNanos));
        previousPcs = update.pcs();
        previousNanos = now;
        // PCs and comparison records alike: more of either changes hit or record counts.
        long entries = update.pcs() + update.cmpRecords();
        boolean changed = resetSinceUpdate.getAndSet(false) || update.newPcs().length > 0
                || (entries != reportedPcs && (entries < reportedPcs
                        || now - reportedNanos >= TimeUnit.MILLISECONDS.toNanos(COUNTS_MILLIS)));
        if (changed) {
            reportedPcs = entries;
            reportedNanos = now;
        }
        Tick tick = new Tick(update, rate, changed);
        emit(observer -> observer.updated(tick));
    }

    private AgentClient requireClient() {
        if (client == null) {
            status("not connected to an agent");
        }
        return client;
    }

    private void failed(String what, Throwable error) {
        String message = what + ": " + ErrorText.of(error);
        if (client == null) {
            setState(LiveState.DISCONNECTED, message);
        } else {
            status(message);
        }
    }

    private void setState(LiveState next, String status) {
        state = next;
        emit(observer -> observer.stateChanged(next, status));
    }

    private void status(String text) {
        emit(observer -> observer.statusChanged(text));
    }

    private void emit(Consumer<Observer> event) {
        for (Subscription subscription : observers) {
            subscription.executor().execute(() -> event.accept(subscription.observer()));
        }
    }

    private void onRequestThread(Runnable work) {
        try {
            requests.execute(work);
        } catch (RejectedExecutionException closing) {
            // closed: the close itself let go of the connection
        }
    }

    private void onClock(Runnable work) {
        try {
            clock.execute(work);
        } catch (RejectedExecutionException closing) {
            // closed: no more updates
        }
    }

    /**
     * Receives from one connection: batches into {@link LiveCoverage}, everything else to the request thread. Its
     * welcome makes it the coverage's connection if its target is still wanted: what it delivers once a later
     * connection was adopted so is ignored.
     */
    private final class Listener implements AgentClient.Listener {
        private final Target target;

        Listener(Target target) {
            this.target = target;
        }

        /**
         * Decides here whether the dial keeps this connection, not once the dial returns: the welcome comes on the
         * request thread before the reader starts, so a connection adopted now loses none of the batches that follow
         * its welcome, and one not adopted (the target was left, or the collector closed, while it was dialled)
         * never switches the coverage to its agent's numbering or counts a batch of a target that is never said
         * connected. A target left after this is let go of by the open that left it, as any connected target is.
         */
        @Override
        public void onWelcome(Message.Welcome welcome) {
            if (closed || wanted != target) {
                return;
            }
            currentConnection = this;
            coverage.connected(this, welcome.instance());
        }

        @Override
        public void onBatch(CoverageBatch batch) {
            coverage.add(this, batch);
        }

        @Override
        public void onNotice(Message message) {
            if (currentConnection != this) {
                return;
            }
            if (message instanceof Message.Bye bye) {
                status("the agent shut down: " + bye.reason());
            } else if (message instanceof Message.Error error && "collect".equals(error.request())) {
                // Collection failed and the agent stopped the session; no stopped follows (docs/agent-protocol.md).
                agentStopped("the agent reports: " + error.message());
            } else if (message instanceof Message.Error error) {
                status("the agent reports: " + error.message());
            } else if (message instanceof Message.ResetDone late) {
                // The answer to a reset that gave up waiting for it: it says which reset it confirms, and where.
                coverage.resetConfirmed(this, late.reset(), late.nextSequence());
                sayResetConfirmed();
            } else if (message instanceof Message.Stopped) {
                agentStopped("the agent stopped collecting");
            } else if (message instanceof Message.Started) {
                onRequestThread(() -> {
                    if (currentConnection == this) {
                        startedLate();
                    }
                });
            } else if (message instanceof Message.Exercising late) {
                // The answer to a workload's start or stop that gave up waiting for it, said after what came before it.
                onRequestThread(() -> {
                    if (currentConnection == this) {
                        status(late.summary());
                    }
                });
            }
        }

        /** The agent stopped collecting by itself, unless a start was answered since: that session runs. */
        private void agentStopped(String why) {
            long startsBefore = startsAnswered;
            onRequestThread(() -> {
                if (currentConnection == this && startsAnswered == startsBefore) {
                    setState(LiveState.CONNECTED, why);
                }
            });
        }

        @Override
        public void onDisconnected(IOException cause) {
            if (cause != null && !closed && wanted == target) { // null: closed on purpose
                onRequestThread(() -> lost(target, cause));
            }
        }
    }
}
