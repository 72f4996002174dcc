package dev.kcovexplorer.app.ui.demo;

import dev.kcovexplorer.app.demo.DemoDevice;
import dev.kcovexplorer.app.demo.DemoState;
import dev.kcovexplorer.app.ui.tip.HoverTip;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.SetChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The Demo VM tool window: Start / Stop with the boot's progress, a button per USB device and one for
 * vhost-net traffic, the time line of actions with the PCs each brought and "Freeze as Run", the guest's
 * console, and "Build demo kernel…" with its progress, log and Cancel. Every control calls a
 * {@link DemoVmViewModel} command. Made when the tool window is first chosen, maybe with a guest already up (the
 * demo's loop): it shows the model's state as it finds it, not only what changes after.
 */
public final class DemoVmView extends VBox {
    private final DemoVmViewModel model;
    private final Button start = new Button("Start");
    private final Button stop = new Button("Stop");
    private final Button buildKernel = new Button("Build demo kernel\u2026");
    private final Button cancelBuild = new Button("Cancel Build");
    private final ProgressBar bootProgress = new ProgressBar(0);
    private final Label state = new Label();
    private final Label status = new Label();
    private final Label actionError = new Label();
    private final Label figures = new Label();
    private final Map<DemoDevice, ToggleButton> devices = new EnumMap<>(DemoDevice.class);
    private final ToggleButton vhost = new ToggleButton("vhost-net traffic");
    /** After an action's PCs when coverage was lost meanwhile (an overflowed area, batches that never came). */
    static final String LOST = "  \u26A0 coverage lost";
    private final TableView<TimelineRow> timeline = new TableView<>();
    private final Button freeze = new Button("Freeze as Run");
    private final TextArea console = new TextArea();
    private final ProgressBar buildProgress = new ProgressBar(0);
    private final Label buildStatus = new Label();
    private final TextArea buildLog = new TextArea();

    public DemoVmView(DemoVmViewModel model) {
        this.model = model;
        getStyleClass().add("demo-view");
        setSpacing(6);

        HBox controls = row(start, stop, bootProgress, state, spacer(), buildKernel);
        bootProgress.setPrefWidth(160);
        status.setWrapText(true);
        status.getStyleClass().add("demo-status");
        actionError.setWrapText(true);
        actionError.getStyleClass().add("demo-error");
        actionError.managedProperty().bind(actionError.textProperty().isNotEmpty());
        figures.getStyleClass().add("demo-figures");
        FlowPane deviceRow = new FlowPane(6, 6);
        deviceRow.getStyleClass().add("demo-row");
        for (DemoDevice device : DemoDevice.values()) {
            ToggleButton button = new ToggleButton(device.title());
            devices.put(device, button);
            deviceRow.getChildren().add(button);
        }
        deviceRow.getChildren().add(vhost);
        HBox buildRow = row(buildProgress, buildStatus, spacer(), cancelBuild);
        VBox buildBox = new VBox(4, buildRow, buildLog);
        TitledPane buildPane = new TitledPane("Kernel build", buildBox);
        buildPane.visibleProperty().bind(model.buildingProperty().or(model.buildStatusProperty().isNotEmpty()));
        buildPane.managedProperty().bind(buildPane.visibleProperty());

        VBox timelineBox = new VBox(4, timeline, row(spacer(), freeze));
        VBox.setVgrow(timeline, Priority.ALWAYS);
        SplitPane lower = new SplitPane(timelineBox, titled("Console", console));
        VBox.setVgrow(lower, Priority.ALWAYS);
        getChildren().addAll(controls, status, deviceRow, actionError, figures, buildPane, lower);

        bindControls();
        bindTimeline();
        bindText();
    }

    private void bindControls() {
        BooleanBinding running = model.stateProperty().isEqualTo(DemoState.RUNNING);
        BooleanBinding idle = Bindings.createBooleanBinding(() -> !model.stateProperty().get().hasVm(),
                model.stateProperty());
        start.disableProperty().bind(idle.not().or(model.kernelPresentProperty().not()).or(model.buildingProperty()));
        start.setOnAction(e -> model.start());
        HoverTip.install(start, "Boot the demo kernel under QEMU with the coverage agent inside, connect, "
                + "and collect the USB buses and the vhost common handle");
        stop.disableProperty().bind(idle);
        stop.setOnAction(e -> model.stop());
        HoverTip.install(stop, "Power the guest off; the live runs keep what arrived");
        buildKernel.disableProperty().bind(model.buildingProperty().or(idle.not()));
        buildKernel.setOnAction(e -> model.buildKernel());
        HoverTip.install(buildKernel, "Run sample-data/kernel/build: about 15 minutes on 2 cores; "
                + "a cancelled build resumes");
        cancelBuild.disableProperty().bind(model.buildingProperty().not());
        cancelBuild.setOnAction(e -> model.cancelBuild());
        for (Map.Entry<DemoDevice, ToggleButton> entry : devices.entrySet()) {
            DemoDevice device = entry.getKey();
            ToggleButton button = entry.getValue();
            String missing = model.unsupported(device);
            HoverTip.install(button, missing != null ? missing : "Plug a " + device.title() + " ("
                    + device.driver() + ") into the guest's xHCI controller through QMP; again to unplug it");
            button.disableProperty().bind(running.not().or(Bindings.createBooleanBinding(() -> missing != null)));
            // The button shows what the guest has, not the click: a refused plug leaves it up.
            button.setOnAction(e -> {
                button.setSelected(model.plugged().contains(device));
                model.toggle(device);
            });
        }
        model.plugged().addListener((SetChangeListener<DemoDevice>) change -> showPlugged());
        showPlugged();
        vhost.disableProperty().bind(running.not());
        HoverTip.install(vhost, "vhost-net traffic from the agent's own device: vhost_worker runs under the "
                + "common handle");
        vhost.setOnAction(e -> {
            vhost.setSelected(model.vhostTrafficProperty().get());
            model.toggleVhostTraffic();
        });
        model.vhostTrafficProperty().addListener((obs, old, on) -> vhost.setSelected(on));
        vhost.setSelected(model.vhostTrafficProperty().get());
    }

    private void showPlugged() {
        devices.forEach((device, button) -> button.setSelected(model.plugged().contains(device)));
    }

    private void bindTimeline() {
        TableColumn<TimelineRow, String> time = new TableColumn<>("Time");
        time.setCellValueFactory(row -> new ReadOnlyObjectWrapper<>(
                String.format(Locale.ROOT, "%.1f s", row.getValue().seconds())));
        TableColumn<TimelineRow, String> action = new TableColumn<>("Action");
        action.setCellValueFactory(row -> Bindings.createStringBinding(() -> row.getValue().action()
                + (row.getValue().currentProperty().get() ? " (now)" : ""), row.getValue().currentProperty()));
        TableColumn<TimelineRow, String> pcs = new TableColumn<>("PCs until next");
        pcs.setCellValueFactory(row -> Bindings.createStringBinding(() -> String.format(Locale.ROOT, "%,d",
                row.getValue().pcsProperty().get()) + (row.getValue().lostProperty().get() ? LOST : ""),
                row.getValue().pcsProperty(), row.getValue().lostProperty()));
        time.setPrefWidth(70);
        action.setPrefWidth(200);
        pcs.setPrefWidth(220);
        timeline.getColumns().setAll(java.util.List.of(time, action, pcs));
        timeline.setItems(model.timeline());
        timeline.setPlaceholder(new Label("Each plug, unplug and vhost switch appears here with the PCs it brought"));
        timeline.setPrefHeight(160);
        freeze.disableProperty().bind(timeline.getSelectionModel().selectedItemProperty().isNull());
        HoverTip.install(freeze, "Keep the selected action's coverage (until the next action) as a run named "
                + "after it");
        freeze.setOnAction(e -> {
            TimelineRow marker = timeline.getSelectionModel().getSelectedItem();
            if (marker != null) {
                model.freeze(marker);
            }
        });
    }

    private void bindText() {
        state.textProperty().bind(Bindings.createStringBinding(() -> model.stateProperty().get().label(),
                model.stateProperty()));
        bootProgress.progressProperty().bind(model.progressProperty());
        bootProgress.visibleProperty().bind(Bindings.createBooleanBinding(() -> model.stateProperty().get().isBooting(),
                model.stateProperty()));
        status.textProperty().bind(model.statusProperty());
        model.stateProperty().addListener((obs, old, now) -> showFailed(now));
        showFailed(model.stateProperty().get());
        actionError.textProperty().bind(model.actionErrorProperty());
        figures.textProperty().bind(Bindings.createStringBinding(() -> "live usb: "
                + orNothing(model.usbFiguresProperty().get()) + "   \u00B7   live vhost: "
                + orNothing(model.vhostFiguresProperty().get()), model.usbFiguresProperty(), model.vhostFiguresProperty()));
        console.setEditable(false);
        console.setWrapText(false);
        console.getStyleClass().add("demo-console");
        model.console().addListener((ListChangeListener<String>) change -> showLines(console, model.console()));
        showLines(console, model.console());
        buildLog.setEditable(false);
        buildLog.setPrefRowCount(6);
        model.buildLog().addListener((ListChangeListener<String>) change -> showLines(buildLog, model.buildLog()));
        showLines(buildLog, model.buildLog());
        buildProgress.progressProperty().bind(model.buildProgressProperty());
        buildProgress.setPrefWidth(200);
        buildStatus.textProperty().bind(model.buildStatusProperty());
    }

    private void showFailed(DemoState state) {
        status.getStyleClass().removeIf("demo-failed"::equals);
        if (state == DemoState.FAILED) {
            status.getStyleClass().add("demo-failed");
        }
    }

    /** The lines so far, the last in sight. */
    private static void showLines(TextArea area, List<String> lines) {
        area.setText(String.join("\n", lines));
        area.positionCaret(area.getLength());
    }

    private static String orNothing(String text) {
        return text.isEmpty() ? "nothing yet" : text;
    }

    private static TitledPane titled(String title, Node content) {
        TitledPane pane = new TitledPane(title, content);
        pane.setCollapsible(false);
        pane.setMaxHeight(Double.MAX_VALUE);
        return pane;
    }

    private static HBox row(Node... nodes) {
        HBox row = new HBox(6, nodes);
        row.getStyleClass().add("demo-row");
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return row;
    }

    private static Region spacer() {
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return spacer;
    }

    /** The device's button, for tests. */
    public ToggleButton deviceButton(DemoDevice device) {
        return devices.get(device);
    }

    /** The vhost-net traffic button, for tests. */
    public ToggleButton vhostButton() {
        return vhost;
    }

    /** The time line, for tests. */
    public TableView<TimelineRow> timeline() {
        return timeline;
    }
}
