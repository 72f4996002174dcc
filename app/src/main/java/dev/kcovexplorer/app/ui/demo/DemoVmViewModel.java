package dev.kcovexplorer.app.ui.demo;

import dev.kcovexplorer.app.demo.DemoDevice;
import dev.kcovexplorer.app.demo.DemoState;
import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.demo.KernelBuild;
import dev.kcovexplorer.app.demo.TimelineMarker;
import dev.kcovexplorer.app.live.LiveCollector;
import dev.kcovexplorer.app.live.LiveCoverage;
import dev.kcovexplorer.app.model.ErrorText;
import dev.kcovexplorer.app.model.Figures;
import dev.kcovexplorer.app.model.RunInput;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * The Demo VM tool window's view model: what a {@link DemoVm} reports (boot stage and progress, console,
 * time line, devices plugged, each source's figures) as read-only properties changed only on the UI
 * executor, the window's commands handed to the VM, and "Build demo kernel…" with its progress and log.
 */
public final class DemoVmViewModel implements AutoCloseable {
    static final int CONSOLE_LINES = 200;

    /** Where frozen runs go: the session shown. */
    public interface RunSink {
        /** {@code base}, or a label from it no run of the session has. */
        String freeLabel(String base);

        /** Adds the run {@code run} makes (called off the UI thread). */
        void add(Supplier<RunInput> run);
    }

    private final DemoVm vm;
    private final Executor ui;
    private final RunSink runs;
    private final ReadOnlyObjectWrapper<DemoState> state = new ReadOnlyObjectWrapper<>(this, "state", DemoState.STOPPED);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper actionError = new ReadOnlyStringWrapper(this, "actionError", "");
    private final ReadOnlyBooleanWrapper vhostTraffic = new ReadOnlyBooleanWrapper(this, "vhostTraffic");
    private final ReadOnlyStringWrapper usbFigures = new ReadOnlyStringWrapper(this, "usbFigures", "");
    private final ReadOnlyStringWrapper vhostFigures = new ReadOnlyStringWrapper(this, "vhostFigures", "");
    private final ReadOnlyBooleanWrapper kernelPresent = new ReadOnlyBooleanWrapper(this, "kernelPresent");
    private final ObservableList<String> console = FXCollections.observableArrayList();
    private final ObservableList<TimelineRow> timeline = FXCollections.observableArrayList();
    private final ObservableSet<DemoDevice> plugged = FXCollections.observableSet();
    private final ReadOnlyBooleanWrapper building = new ReadOnlyBooleanWrapper(this, "building");
    private final ReadOnlyDoubleWrapper buildProgress = new ReadOnlyDoubleWrapper(this, "buildProgress");
    private final ReadOnlyStringWrapper buildStatus = new ReadOnlyStringWrapper(this, "buildStatus", "");
    private final ObservableList<String> buildLog = FXCollections.observableArrayList();
    // One read-only wrapper each, kept: a wrapper listens to its list weakly, so listeners on a fresh one are lost.
    private final ObservableList<String> consoleView = FXCollections.unmodifiableObservableList(console);
    private final ObservableList<TimelineRow> timelineView = FXCollections.unmodifiableObservableList(timeline);
    private final ObservableSet<DemoDevice> pluggedView = FXCollections.unmodifiableObservableSet(plugged);
    private final ObservableList<String> buildLogView = FXCollections.unmodifiableObservableList(buildLog);
    private final Map<String, String> buildEnvironment;
    private KernelBuild build;

    /**
     * @param buildEnvironment added to the build script's environment (KERNEL_DIR for a build elsewhere)
     */
    public DemoVmViewModel(DemoVm vm, Executor ui, RunSink runs, Map<String, String> buildEnvironment) {
        this.vm = vm;
        this.ui = ui;
        this.runs = runs;
        this.buildEnvironment = Map.copyOf(buildEnvironment);
        kernelPresent.set(Files.isRegularFile(vm.options().bzImage()));
        status.set(kernelPresent.get() ? "Start boots " + vm.options().bzImage() + " under QEMU"
                : "no demo kernel yet: Build demo kernel\u2026 makes one (about 15 minutes on 2 cores)");
        vm.observe(ui, new DemoVm.Observer() {
            @Override
            public void stateChanged(DemoState next, String message) {
                status.set(next == DemoState.FAILED ? vm.failureDetails() : message); // before the state: its listeners read it
                state.set(next);
                if (!next.isBooting() || next == DemoState.STARTING_QEMU) {
                    progress.set(next.progress());
                }
                if (next == DemoState.STARTING_QEMU) {
                    console.clear();
                    timeline.clear();
                    actionError.set("");
                }
            }

            @Override
            public void consoleLine(String line, double bootProgress) {
                console.add(line);
                if (console.size() > CONSOLE_LINES) {
                    console.remove(0, console.size() - CONSOLE_LINES);
                }
                if (state.get().isBooting()) {
                    progress.set(Math.max(progress.get(), bootProgress));
                }
            }

            @Override
            public void timelineChanged(List<TimelineMarker> markers) {
                showTimeline(markers);
            }

            @Override
            public void guestChanged(Set<DemoDevice> now, boolean traffic) {
                plugged.retainAll(now);
                plugged.addAll(now);
                vhostTraffic.set(traffic);
            }

            @Override
            public void actionFailed(String message) {
                actionError.set(message);
            }
        });
        figures(vm.usbCollector(), usbFigures);
        figures(vm.vhostCollector(), vhostFigures);
    }

    /** Rows stay while their action is on the time line (their PCs updated); new actions are appended. */
    private void showTimeline(List<TimelineMarker> markers) {
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        markers.forEach(marker -> ids.add(marker.id()));
        timeline.removeIf(row -> !ids.contains(row.id()));
        java.util.Map<Integer, TimelineRow> rows = new java.util.HashMap<>();
        timeline.forEach(row -> rows.put(row.id(), row));
        for (TimelineMarker marker : markers) {
            TimelineRow row = rows.get(marker.id());
            if (row == null) {
                timeline.add(new TimelineRow(marker));
            } else {
                row.update(marker);
            }
        }
    }

    private void figures(LiveCollector collector, ReadOnlyStringWrapper into) {
        collector.observe(ui, new LiveCollector.Observer() {
            @Override
            public void updated(LiveCollector.Tick tick) {
                LiveCoverage.Update totals = tick.totals();
                into.set(totals.pcs() == 0 ? "" : Figures.count(totals.pcs()) + " PCs \u00B7 "
                        + Figures.count(totals.uniquePcs()) + " unique" + losses(totals));
            }
        });
    }

    /** Coverage the session lost, said next to its figures: the PCs shown are fewer than the kernel ran. */
    static String losses(LiveCoverage.Update totals) {
        String overflowed = totals.overflows() == 0 ? "" : " \u00B7 \u26A0 the kernel's area overflowed "
                + Figures.count(totals.overflows()) + (totals.overflows() == 1 ? " time" : " times");
        String lost = totals.lostBatches() == 0 ? "" : " \u00B7 \u26A0 " + Figures.count(totals.lostBatches())
                + (totals.lostBatches() == 1 ? " batch" : " batches") + " lost";
        return overflowed + lost + (overflowed.isEmpty() && lost.isEmpty() ? "" : ": coverage was dropped");
    }

    public void start() {
        actionError.set("");
        vm.start();
    }

    public void stop() {
        vm.stop();
    }

    /** Plugs {@code device} in, or unplugs it when it is plugged. */
    public void toggle(DemoDevice device) {
        actionError.set("");
        if (plugged.contains(device)) {
            vm.unplug(device);
        } else {
            vm.plug(device);
        }
    }

    /** Starts vhost-net traffic, or stops it when it runs. */
    public void toggleVhostTraffic() {
        actionError.set("");
        vm.vhostTraffic(!vhostTraffic.get());
    }

    /** Freezes the coverage of {@code marker}'s action into a run of the session named after the action. */
    public void freeze(TimelineRow marker) {
        String label = runs.freeLabel(marker.action());
        runs.add(() -> {
            RunInput run = DemoVm.awaitFreeze(vm.freezeAction(marker.id(), label), marker.action());
            if (run == null) {
                throw new IllegalStateException("the action '" + marker.action() + "' has left the time line");
            }
            return run;
        });
    }

    /** Why {@code device} is not offered with this kernel, or null. */
    public String unsupported(DemoDevice device) {
        return vm.unsupported(device);
    }

    /** Runs sample-data/kernel/build; progress, log and the end come in on the UI executor. */
    public void buildKernel() {
        if (building.get()) {
            return;
        }
        buildLog.clear();
        building.set(true);
        buildProgress.set(0);
        buildStatus.set("starting the build");
        try {
            build = KernelBuild.start(vm.options().repository(), buildEnvironment, new KernelBuild.Listener() {
                @Override
                public void line(String line, KernelBuild.Progress now) {
                    ui.execute(() -> {
                        buildLog.add(line);
                        if (buildLog.size() > CONSOLE_LINES) {
                            buildLog.remove(0, buildLog.size() - CONSOLE_LINES);
                        }
                        buildProgress.set(now.fraction());
                        buildStatus.set(now.stage());
                    });
                }

                @Override
                public void finished(boolean ok, String message) {
                    ui.execute(() -> {
                        building.set(false);
                        buildStatus.set(message);
                        if (ok) {
                            buildProgress.set(1);
                        }
                        kernelPresent.set(Files.isRegularFile(vm.options().bzImage()));
                        if (ok && state.get() == DemoState.STOPPED) {
                            status.set("Start boots " + vm.options().bzImage() + " under QEMU");
                        }
                    });
                }
            });
        } catch (java.io.IOException e) {
            building.set(false);
            buildStatus.set(ErrorText.of(e));
        }
    }

    /** Cancels the build; it resumes where it stopped next time. */
    public void cancelBuild() {
        KernelBuild running = build;
        if (running != null && running.isRunning()) {
            running.cancel();
        }
    }

    public ReadOnlyObjectProperty<DemoState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** What happens now, or why it failed (with the console's last lines). */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The boot's progress, 0 to 1. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Why the last action was refused, "" when it was not. */
    public ReadOnlyStringProperty actionErrorProperty() {
        return actionError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty vhostTrafficProperty() {
        return vhostTraffic.getReadOnlyProperty();
    }

    /** "12,345 PCs · 2,345 unique" from the USB buses' session, "" before any. */
    public ReadOnlyStringProperty usbFiguresProperty() {
        return usbFigures.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty vhostFiguresProperty() {
        return vhostFigures.getReadOnlyProperty();
    }

    /** Whether the kernel to boot is there (else the window offers to build it). */
    public ReadOnlyBooleanProperty kernelPresentProperty() {
        return kernelPresent.getReadOnlyProperty();
    }

    /** The guest's console, the last {@value #CONSOLE_LINES} lines. */
    public ObservableList<String> console() {
        return consoleView;
    }

    public ObservableList<TimelineRow> timeline() {
        return timelineView;
    }

    public ObservableSet<DemoDevice> plugged() {
        return pluggedView;
    }

    public ReadOnlyBooleanProperty buildingProperty() {
        return building.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty buildProgressProperty() {
        return buildProgress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty buildStatusProperty() {
        return buildStatus.getReadOnlyProperty();
    }

    public ObservableList<String> buildLog() {
        return buildLogView;
    }

    /** The VM behind this window: its collections feed the session's live runs. */
    public DemoVm vm() {
        return vm;
    }

    /** Powers the guest off and cancels a build: the window is closing. */
    @Override
    public void close() {
        cancelBuild();
        vm.close();
    }
}
