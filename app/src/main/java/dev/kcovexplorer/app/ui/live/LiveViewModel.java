package dev.kcovexplorer.app.ui.live;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.kcov.agent.AgentAddress;
import dev.kcovexplorer.kcov.agent.AgentClient;
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
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Live tool window's view model: connects to a coverage agent, starts / pauses / resets / stops
 * collection, and publishes what arrives at {@link #UPDATE_MILLIS} intervals. Batches are counted on the
 * agent client's reader thread ({@link LiveCoverage}); each update only hands the UI thread a few totals
 * and the PCs seen for the first time, so the UI thread never does per-PC work. A lost connection is
 * retried every second, resuming after the last batch received, so nothing received is lost and
 * nothing is counted twice. Properties change only on the UI executor.
 */
public final class LiveViewModel implements AutoCloseable {
    /** Updates per second: 1000 / 150 ≈ 6.7, above the 5 the window promises. */
    public static final long UPDATE_MILLIS = 150;
    private static final long RETRY_MILLIS = 1000;
    /** Hit counts alone (no new PC) refresh the session's run at most this often: they repaint no line. */
    private static final long COUNTS_MILLIS = 1000;

    /** Where the session stands. */
    public enum State {
        DISCONNECTED("not connected"),
        CONNECTING("connecting"),
        CONNECTED("connected"),
        COLLECTING("collecting"),
        RECONNECTING("connection lost, retrying");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** In words, for the tool window and its tab. */
        public String label() {
            return label;
        }
    }

    /** Talks to the agent (connect, start, stop, reset) one request at a time, in order. */
    private final ExecutorService requests;
    private final Executor uiThread;
    private final ScheduledExecutorService clock;
    private final LiveCoverage coverage = new LiveCoverage();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.DISCONNECTED);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "not connected");
    private final ReadOnlyStringWrapper kernel = new ReadOnlyStringWrapper(this, "kernel", "");
    private final ReadOnlyLongWrapper pcs = new ReadOnlyLongWrapper(this, "pcs");
    private final ReadOnlyIntegerWrapper uniquePcs = new ReadOnlyIntegerWrapper(this, "uniquePcs");
    private final ReadOnlyLongWrapper batches = new ReadOnlyLongWrapper(this, "batches");
    private final ReadOnlyLongWrapper overflows = new ReadOnlyLongWrapper(this, "overflows");
    private final ReadOnlyLongWrapper lostBatches = new ReadOnlyLongWrapper(this, "lostBatches");
    private final ReadOnlyLongWrapper comparisons = new ReadOnlyLongWrapper(this, "comparisons");
    private final ReadOnlyLongWrapper updates = new ReadOnlyLongWrapper(this, "updates");
    private final ReadOnlyLongWrapper pcsPerSecond = new ReadOnlyLongWrapper(this, "pcsPerSecond");
    private final ReadOnlyStringWrapper kernelBuildId = new ReadOnlyStringWrapper(this, "kernelBuildId");
    private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper(this, "paused");
    private final ObservableList<Message.UsbBus> usbBuses = FXCollections.observableArrayList();
    // One wrapper, kept: a wrapper listens to the list weakly, so listeners on a fresh one are collected.
    private final ObservableList<Message.UsbBus> usbBusesView = FXCollections.unmodifiableObservableList(usbBuses);
    private volatile Consumer<long[]> changeListener = pcs -> { };

    // The connection; written by background work and the clock, hence volatile.
    private volatile AgentClient client;
    private volatile Endpoint endpoint;
    private volatile boolean pausedView;
    private volatile boolean closed;
    /** The in-process agent serving this machine's kcov, when connected to it; else null. */
    private volatile AgentServer localAgent;
    // Owned by the clock thread: the previous update, for the rate, and the last change handed on.
    private long previousPcs;
    private long previousNanos = System.nanoTime();
    private long reportedPcs;
    private long reportedNanos;

    private record Endpoint(String host, int port, String token) {
        String describe() {
            return host + ":" + port;
        }
    }

    /**
     * Requests to the agent run on a thread of this view model's own, not as window tasks: the status
     * bar's Cancel must not leave a connection half made (opened, but never stored or closed).
     */
    public LiveViewModel(Executor uiThread) {
        this.requests = Executors.newSingleThreadExecutor(daemon("live-requests"));
        this.uiThread = uiThread;
        this.clock = Executors.newSingleThreadScheduledExecutor(daemon("live-updates"));
        clock.scheduleWithFixedDelay(this::publish, UPDATE_MILLIS, UPDATE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Called on the UI thread when the live coverage changed: with the PCs seen for the first time since
     * the last call (lines light up), or with none when only hit counts rose (at most once a second) or
     * the coverage was reset. Each PC is handed over once until a reset.
     */
    public void setOnCoverageChanged(Consumer<long[]> listener) {
        this.changeListener = Objects.requireNonNull(listener);
    }

    /**
     * Connects to the agent at {@code address} as typed: "host:port", "[v6]:port", or a port on this
     * machine; a blank {@code token} means none. A malformed address is explained in the status line.
     */
    public void connect(String address, String token) {
        AgentAddress target;
        try {
            target = AgentAddress.parse(address, "127.0.0.1", 1);
        } catch (IllegalArgumentException mistyped) {
            status.set("Agent: " + mistyped.getMessage()); // a connection already made stays as it is
            return;
        }
        connect(target.host(), target.port(), token == null || token.isBlank() ? null : token.trim());
    }

    /** Connects to the agent at {@code host:port} ({@code token} null when it has none). */
    public void connect(String host, int port, String token) {
        closeConnection();
        open(new Endpoint(host, port, token));
    }

    private void open(Endpoint target) {
        endpoint = target;
        setState(State.CONNECTING, "connecting to " + target.describe());
        request(() -> dial(target), opened -> connected(target, opened), error -> {
            if (endpoint == target) { // not since replaced by another connect
                failed("cannot connect to " + target.describe(), error);
            }
        });
    }

    /** Whether this machine's kernel offers kcov to us ({@code /sys/kernel/debug/kcov} exists). */
    public static boolean thisMachineHasKcov() {
        return Files.exists(KcovDevice.DEFAULT_PATH);
    }

    /** Collects from this machine's kernel: an agent in this process on a free loopback port, connected to. */
    public void connectToThisMachine() {
        connectTo(new KcovCoverageSource(KcovDevice.DEFAULT_PATH));
    }

    /** Serves {@code source} from an agent in this process on a free loopback port, and connects to it. */
    public void connectTo(CoverageSource source) {
        disconnect();
        setState(State.CONNECTING, "starting an agent in this process");
        request(() -> AgentServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, source,
                line -> { }), server -> {
                    if (closed || state.get() != State.CONNECTING || endpoint != null) { // given up, or another connect
                        requests.execute(server::close);
                        return;
                    }
                    localAgent = server;
                    open(new Endpoint(server.address().getHostString(), server.address().getPort(), null));
                }, error -> setState(State.DISCONNECTED, "cannot serve this machine's kcov: " + BackgroundTasks.describe(error)));
    }

    /** Starts collecting as the form says, or explains in the status line what in the form is wrong. */
    public void start(CollectionForm form) {
        CollectionPlan plan;
        try {
            plan = form.toPlan();
        } catch (IllegalArgumentException invalid) {
            status.set(invalid.getMessage());
            return;
        }
        start(plan);
    }

    /** Starts collecting as {@code plan} says; coverage adds to what this live session already holds. */
    public void start(CollectionPlan plan) {
        AgentClient current = requireClient();
        if (current == null) {
            return;
        }
        request(() -> current.start(plan),
                session -> setState(State.COLLECTING, "collecting: " + plan.summary()),
                error -> failed("start refused", error));
    }

    /** Stops collection on the target; what was received stays and can be frozen into a run. */
    public void stop() {
        AgentClient current = requireClient();
        if (current == null) {
            return;
        }
        request(current::stop,
                stopped -> setState(State.CONNECTED, "stopped after " + stopped.entries() + " PCs in "
                        + stopped.batches() + " batches" + (stopped.overflowBatches() > 0
                                ? "; the kernel dropped coverage " + stopped.overflowBatches() + " times" : "")),
                error -> failed("stop failed", error));
    }

    /** Freezes the view (coverage keeps arriving and is counted) or lets it move again. */
    public void setPaused(boolean pause) {
        pausedView = pause;
        paused.set(pause);
    }

    /** Forgets the coverage received so far, here and in the agent's not yet sent batches. */
    public void reset() {
        AgentClient current = client;
        coverage.clear();
        if (current != null && state.get() == State.COLLECTING) {
            request(current::reset, next -> { }, error -> failed("reset failed", error));
        }
        clock.execute(this::publish);
    }

    /** Closes the connection; the agent goes on or stops as the start request asked. */
    public void disconnect() {
        endpoint = null;
        closeConnection();
        setState(State.DISCONNECTED, "not connected");
    }

    /**
     * Lets go of the connection and of this process's agent at once; closing them (joining the reader,
     * disabling kcov) runs on the request thread, not on the UI thread that asked.
     */
    private void closeConnection() {
        AgentClient oldClient = client;
        AgentServer oldAgent = localAgent;
        client = null;
        localAgent = null;
        if (oldClient != null || oldAgent != null) {
            requests.execute(() -> {
                if (oldClient != null) {
                    oldClient.close();
                }
                if (oldAgent != null) {
                    oldAgent.close();
                }
            });
        }
    }

    /**
     * The live session as a normal run, for the session's run list and for saving; cheap enough to call
     * on every change (it sorts the unique PCs), but off the UI thread.
     */
    public RunInput freeze(String label) {
        Endpoint target = endpoint;
        return coverage.toRun(label, target == null ? "live" : "live from " + target.describe());
    }

    private AgentClient dial(Endpoint target) throws IOException {
        return AgentClient.connect(target.host(), target.port(), target.token(), coverage.lastSequence(),
                new Listener(target));
    }

    private void connected(Endpoint target, AgentClient opened) {
        if (closed || endpoint != target) {
            requests.execute(opened::close);
            return;
        }
        client = opened;
        Message.Welcome welcome = opened.welcome();
        Message.KernelInfo info = welcome.kernel();
        kernelBuildId.set(info.buildId());
        kernel.set(info.release() + (info.kcov() ? (info.remote() ? ", remote kcov" : ", kcov without remote coverage")
                : ", kcov unusable: " + info.problem()));
        usbBuses.setAll(info.usbBuses() == null ? List.of() : info.usbBuses());
        boolean running = welcome.session() != null;
        setState(running ? State.COLLECTING : State.CONNECTED,
                (running ? "collecting (the agent kept going)" : "connected") + " to " + endpoint.describe());
    }

    /** Tries again while the endpoint is still wanted. Runs on the clock thread. */
    private void reconnect(Endpoint target) {
        if (closed || endpoint != target) {
            return;
        }
        try {
            AgentClient opened = dial(target);
            uiThread.execute(() -> connected(target, opened));
        } catch (IOException e) {
            uiThread.execute(() -> status.set("connection to " + target.describe() + " lost; retrying: " + e.getMessage()));
            clock.schedule(() -> reconnect(target), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** One update: totals and new PCs to the UI thread, unless the view is paused. Runs on the clock thread. */
    private void publish() {
        if (pausedView) {
            return;
        }
        LiveCoverage.Update update = coverage.takeUpdate();
        long now = System.nanoTime();
        long rate = Math.max(0, (update.pcs() - previousPcs) * 1_000_000_000L / Math.max(1, now - previousNanos));
        previousPcs = update.pcs();
        previousNanos = now;
        boolean changed = update.newPcs().length > 0 || (update.pcs() != reportedPcs
                && (update.pcs() < reportedPcs || now - reportedNanos >= TimeUnit.MILLISECONDS.toNanos(COUNTS_MILLIS)));
        if (changed) {
            reportedPcs = update.pcs();
            reportedNanos = now;
        }
        uiThread.execute(() -> {
            pcsPerSecond.set(rate);
            pcs.set(update.pcs());
            uniquePcs.set(update.uniquePcs());
            batches.set(update.batches());
            overflows.set(update.overflows());
            lostBatches.set(update.lostBatches());
            comparisons.set(update.cmpRecords());
            updates.set(updates.get() + 1);
            if (changed) {
                changeListener.accept(update.newPcs());
            }
        });
    }

    /** Runs {@code work} on the request thread; the outcome is handed to the UI thread. */
    private <T> void request(Callable<T> work, Consumer<T> onDone, Consumer<Exception> onFailure) {
        requests.execute(() -> {
            try {
                T result = work.call();
                uiThread.execute(() -> onDone.accept(result));
            } catch (Exception e) {
                uiThread.execute(() -> onFailure.accept(e));
            }
        });
    }

    private AgentClient requireClient() {
        AgentClient current = client;
        if (current == null) {
            status.set("not connected to an agent");
        }
        return current;
    }

    private void failed(String what, Throwable error) {
        String message = BackgroundTasks.describe(error);
        if (client == null) {
            setState(State.DISCONNECTED, what + ": " + message);
        } else {
            status.set(what + ": " + message);
        }
    }

    private void setState(State next, String text) {
        state.set(next);
        status.set(text);
    }

    /** Receives from one connection: batches into {@link LiveCoverage}, everything else onto the UI thread. */
    private final class Listener implements AgentClient.Listener {
        private final Endpoint target;

        Listener(Endpoint target) {
            this.target = target;
        }

        @Override
        public void onWelcome(Message.Welcome welcome) {
            coverage.agentInstance(welcome.instance());
        }

        @Override
        public void onBatch(CoverageBatch batch) {
            coverage.add(batch);
        }

        @Override
        public void onNotice(Message message) {
            uiThread.execute(() -> {
                if (message instanceof Message.Bye bye) {
                    status.set("the agent shut down: " + bye.reason());
                } else if (message instanceof Message.Error error) {
                    status.set("the agent reports: " + error.message());
                } else if (message instanceof Message.Stopped) {
                    setState(State.CONNECTED, "the agent stopped collecting");
                }
            });
        }

        @Override
        public void onDisconnected(IOException cause) {
            if (cause == null || closed || endpoint != target) {
                return; // closed on purpose
            }
            uiThread.execute(() -> {
                client = null;
                setState(State.RECONNECTING, "connection to " + target.describe() + " lost (" + cause.getMessage()
                        + "); retrying");
            });
            clock.schedule(() -> reconnect(target), RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The target's kernel release and kcov abilities, after connecting. */
    public ReadOnlyStringProperty kernelProperty() {
        return kernel.getReadOnlyProperty();
    }

    /** The target's USB buses, to choose from for remote collection. */
    public ObservableList<Message.UsbBus> usbBuses() {
        return usbBusesView;
    }

    public ReadOnlyLongProperty pcsProperty() {
        return pcs.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty uniquePcsProperty() {
        return uniquePcs.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty batchesProperty() {
        return batches.getReadOnlyProperty();
    }

    /** Batches during which the kernel's area was full and coverage was dropped. */
    public ReadOnlyLongProperty overflowsProperty() {
        return overflows.getReadOnlyProperty();
    }

    /** Batches that never arrived (sequence gaps): coverage lost between agent and window. */
    public ReadOnlyLongProperty lostBatchesProperty() {
        return lostBatches.getReadOnlyProperty();
    }

    /** PCs received per second, over the last update interval. */
    public ReadOnlyLongProperty pcsPerSecondProperty() {
        return pcsPerSecond.getReadOnlyProperty();
    }

    /** The target kernel's GNU build id (from its {@code /sys/kernel/notes}), null when it has none. */
    public ReadOnlyStringProperty kernelBuildIdProperty() {
        return kernelBuildId.getReadOnlyProperty();
    }

    /** Comparison records received in CMP mode: counted, but they colour no lines. */
    public ReadOnlyLongProperty comparisonsProperty() {
        return comparisons.getReadOnlyProperty();
    }

    /** How many updates were published: a clock for tests and for the window's rate display. */
    public ReadOnlyLongProperty updatesProperty() {
        return updates.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty pausedProperty() {
        return paused.getReadOnlyProperty();
    }

    /** How often {@code pc} was recorded in this live session. */
    public int hits(long pc) {
        return coverage.hits(pc);
    }

    @Override
    public void close() {
        closed = true;
        clock.shutdownNow();
        closeConnection();
        requests.shutdown(); // after the close it was just handed

    }
}
