package dev.kcovexplorer.app.ui.live;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.kcov.agent.AgentClient;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import dev.kcovexplorer.kcov.agent.Message;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

    /** Where the session stands. */
    public enum State { DISCONNECTED, CONNECTING, CONNECTED, COLLECTING, RECONNECTING }

    private final BackgroundTasks tasks;
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
    private final ReadOnlyLongWrapper updates = new ReadOnlyLongWrapper(this, "updates");
    private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper(this, "paused");
    private final ObservableList<Message.UsbBus> usbBuses = FXCollections.observableArrayList();
    private volatile Consumer<long[]> newPcsListener = pcs -> { };

    // The connection; written by background work and the clock, hence volatile.
    private volatile AgentClient client;
    private volatile Endpoint endpoint;
    private volatile boolean pausedView;
    private volatile boolean closed;

    private record Endpoint(String host, int port, String token) {
        String describe() {
            return host + ":" + port;
        }
    }

    public LiveViewModel(BackgroundTasks tasks, Executor uiThread) {
        this.tasks = tasks;
        this.uiThread = uiThread;
        this.clock = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "live-updates");
            thread.setDaemon(true);
            return thread;
        });
        clock.scheduleWithFixedDelay(this::publish, UPDATE_MILLIS, UPDATE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Called on the UI thread with the PCs seen for the first time since the last update (editors light up). */
    public void setOnNewPcs(Consumer<long[]> listener) {
        this.newPcsListener = Objects.requireNonNull(listener);
    }

    /** Connects to the agent at {@code host:port} ({@code token} null when it has none). */
    public void connect(String host, int port, String token) {
        Endpoint target = new Endpoint(host, port, token);
        endpoint = target;
        setState(State.CONNECTING, "connecting to " + target.describe());
        tasks.submit("Connecting to the agent at " + target.describe(), progress -> open(target),
                this::connected, error -> failed("cannot connect to " + target.describe(), error));
    }

    /** Starts collecting as {@code plan} says; coverage adds to what this live session already holds. */
    public void start(CollectionPlan plan) {
        AgentClient current = requireClient();
        if (current == null) {
            return;
        }
        tasks.submit("Starting collection", progress -> current.start(plan),
                session -> setState(State.COLLECTING, "collecting: " + plan.summary()),
                error -> failed("start refused", error));
    }

    /** Stops collection on the target; what was received stays and can be frozen into a run. */
    public void stop() {
        AgentClient current = requireClient();
        if (current == null) {
            return;
        }
        tasks.submit("Stopping collection", progress -> current.stop(),
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
            tasks.submit("Resetting", progress -> current.reset(), next -> { }, error -> failed("reset failed", error));
        }
        publish();
    }

    /** Closes the connection; the agent goes on or stops as the start request asked. */
    public void disconnect() {
        endpoint = null;
        AgentClient current = client;
        client = null;
        if (current != null) {
            current.close();
        }
        setState(State.DISCONNECTED, "not connected");
    }

    /**
     * The live session as a normal run, for the session's run list and for saving; cheap enough to call
     * on every update (it sorts the unique PCs), e.g. {@code live.setOnNewPcs(pcs ->
     * controller.putRun(live.freeze("live")))}.
     */
    public RunInput freeze(String label) {
        Endpoint target = endpoint;
        return coverage.toRun(label, target == null ? "live" : "live from " + target.describe());
    }

    private AgentClient open(Endpoint target) throws IOException {
        return AgentClient.connect(target.host(), target.port(), target.token(), coverage.lastSequence(),
                new Listener(target));
    }

    private void connected(AgentClient opened) {
        if (closed || endpoint == null) {
            opened.close();
            return;
        }
        client = opened;
        Message.Welcome welcome = opened.welcome();
        Message.KernelInfo info = welcome.kernel();
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
            AgentClient opened = open(target);
            uiThread.execute(() -> connected(opened));
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
        uiThread.execute(() -> {
            pcs.set(update.pcs());
            uniquePcs.set(update.uniquePcs());
            batches.set(update.batches());
            overflows.set(update.overflows());
            lostBatches.set(update.lostBatches());
            updates.set(updates.get() + 1);
            if (update.newPcs().length > 0) {
                newPcsListener.accept(update.newPcs());
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
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
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
        return FXCollections.unmodifiableObservableList(usbBuses);
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
        AgentClient current = client;
        client = null;
        if (current != null) {
            current.close();
        }
    }
}
