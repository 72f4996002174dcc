package dev.kcovexplorer.app.ui.live;

import dev.kcovexplorer.kcov.Printable;
import dev.kcovexplorer.app.live.LiveCollector;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.kcov.agent.AgentAddress;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.Message;
import java.util.List;
import java.util.concurrent.Executor;
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
 * The Live tool window's view model: what a {@link LiveCollector} reports, as read-only properties that
 * change only on the UI executor, and the window's commands, checked as typed and handed to the collector.
 * The connection, its retries and the counting live in the collector, off the UI thread.
 */
public final class LiveViewModel implements AutoCloseable {
    private final LiveCollector collector;
    private final ReadOnlyObjectWrapper<LiveState> state = new ReadOnlyObjectWrapper<>(this, "state", LiveState.DISCONNECTED);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "not connected");
    private final ReadOnlyStringWrapper kernel = new ReadOnlyStringWrapper(this, "kernel", "");
    private final ReadOnlyStringWrapper origin = new ReadOnlyStringWrapper(this, "origin", "live");
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

    /** Shows what {@code collector} reports; properties change on {@code uiThread}. */
    public LiveViewModel(LiveCollector collector, Executor uiThread) {
        this.collector = collector;
        collector.observe(uiThread, new LiveCollector.Observer() {
            @Override
            public void stateChanged(LiveState next, String text) {
                state.set(next);
                status.set(text);
                origin.set(collector.origin());
            }

            @Override
            public void statusChanged(String text) {
                status.set(Printable.of(text));
            }

            @Override
            public void kernelKnown(Message.KernelInfo info) {
                // The agent on the other end says what it likes: shown with control characters escaped.
                kernelBuildId.set(Printable.of(info.buildId()));
                kernel.set(Printable.of(info.release() + (info.kcov()
                        ? (info.remote() ? ", remote kcov" : ", kcov without remote coverage")
                        : ", kcov unusable: " + info.problem())));
                usbBuses.setAll(info.usbBuses() == null ? List.of() : info.usbBuses());
            }

            @Override
            public void updated(LiveCollector.Tick tick) {
                pcsPerSecond.set(tick.pcsPerSecond());
                pcs.set(tick.totals().pcs());
                uniquePcs.set(tick.totals().uniquePcs());
                batches.set(tick.totals().batches());
                overflows.set(tick.totals().overflows());
                lostBatches.set(tick.totals().lostBatches());
                comparisons.set(tick.totals().cmpRecords());
                updates.set(updates.get() + 1);
            }
        });
    }

    /** Whether this machine's kernel offers kcov to us ({@code /sys/kernel/debug/kcov} exists). */
    public static boolean thisMachineHasKcov() {
        return LiveCollector.thisMachineHasKcov();
    }

    /**
     * Connects to the agent at {@code address} as typed: "host:port", "[v6]:port", or a port on this
     * machine; a blank {@code token} means none. A malformed address is explained in the status line, and
     * a connection already made stays as it is.
     */
    public void connect(String address, String token) {
        AgentAddress target;
        try {
            target = AgentAddress.parse(address, "127.0.0.1", 1);
        } catch (IllegalArgumentException mistyped) {
            status.set("Agent: " + mistyped.getMessage());
            return;
        }
        collector.connect(target.host(), target.port(), token == null || token.isBlank() ? null : token.trim());
    }

    public void connectToThisMachine() {
        collector.connectToThisMachine();
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
        collector.start(plan);
    }

    public void stop() {
        collector.stop();
    }

    /** Freezes the view (coverage keeps arriving and is counted) or lets it move again. */
    public void setPaused(boolean pause) {
        collector.setPaused(pause);
        paused.set(pause);
    }

    /** Forgets the coverage received so far. */
    public void reset() {
        collector.reset();
    }

    public void disconnect() {
        collector.disconnect();
    }

    public ReadOnlyObjectProperty<LiveState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** "live from HOST:PORT" once connected. */
    public ReadOnlyStringProperty originProperty() {
        return origin.getReadOnlyProperty();
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

    /** Comparison records received in CMP mode: the live run's records on comparison sites. */
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

    @Override
    public void close() {
        collector.close();
    }
}
