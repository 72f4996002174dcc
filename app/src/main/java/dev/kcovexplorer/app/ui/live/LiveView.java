package dev.kcovexplorer.app.ui.live;

import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.ui.tip.HoverTip;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.Message;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The Live tool window: connect to an agent (or to this machine's kcov), say what to collect, start /
 * pause / reset / stop, watch the figures rise, freeze what arrived into a normal run and save it. Every
 * control calls a {@link LiveViewModel} command; the session side (the run "live", freezing, saving) is
 * handed in by the main view.
 */
public final class LiveView extends VBox {
    private static final NumberFormat COUNT = NumberFormat.getIntegerInstance(Locale.ROOT);

    private final LiveViewModel model;
    private final TextField address = new TextField("127.0.0.1:7070");
    private final PasswordField token = new PasswordField();
    private final Button connect = new Button("Connect");
    private final Button thisMachine = new Button("This Machine");
    private final ChoiceBox<TraceMode> mode = new ChoiceBox<>();
    private final TextField usbBuses = new TextField();
    private final TextField commonHandle = new TextField();
    private final TextField areaWords = new TextField("1M");
    private final CheckBox keepOnDisconnect = new CheckBox("Keep collecting when disconnected");
    private final Button start = new Button("Start");
    private final ToggleButton pause = new ToggleButton("Pause View");
    private final Button reset = new Button("Reset");
    private final Button stop = new Button("Stop");
    private final Button freeze = new Button("Freeze as Run\u2026");
    private final Button save = new Button("Save Session\u2026");
    private final Label state = new Label();
    private final Label status = new Label();
    private final Label figures = new Label();
    private final VBox shared = new VBox(2);

    /**
     * @param sharedSessions sessions another window connected (the Demo VM's), shown below this one's
     * @param sessionOpen whether a session (the target kernel's index) is open: live coverage shows as its run
     * @param freeLabel   a label no run has yet, from a base ("frozen" → "frozen_2")
     * @param freezeInto  freezes the live coverage into a new run with the given label
     * @param saveSession asks where and saves the session with its runs
     */
    public LiveView(LiveViewModel model, List<SharedSession> sharedSessions, ObservableBooleanValue sessionOpen,
            UnaryOperator<String> freeLabel, Consumer<String> freezeInto, Runnable saveSession) {
        this.model = model;
        getStyleClass().add("live-view");
        setSpacing(6);

        HBox connection = row(label("Agent"), address, token, connect, thisMachine, spacer(), state);
        // Wraps in a narrow window rather than cutting off the last fields.
        FlowPane collection = new FlowPane(6, 6, pair("Mode", mode), pair("USB buses", usbBuses),
                pair("Common handle", commonHandle), pair("Area", areaWords), keepOnDisconnect);
        collection.getStyleClass().add("live-row");
        HBox controls = row(start, pause, reset, stop, spacer(), freeze, save);
        figures.getStyleClass().add("live-figures");
        status.getStyleClass().add("live-status");
        status.setWrapText(true);
        Label noSession = new Label("Open the session or vmlinux of the target's kernel (Ctrl+O) to see live "
                + "coverage in the tree and the editors as run \"live\".");
        noSession.getStyleClass().add("live-hint");
        noSession.visibleProperty().bind(Bindings.createBooleanBinding(() -> !sessionOpen.get(), sessionOpen));
        noSession.managedProperty().bind(noSession.visibleProperty());
        getChildren().addAll(connection, collection, controls, figures, status, noSession, shared);

        configureFields();
        bindCommands(sessionOpen, freeLabel, freezeInto, saveSession);
        bindFigures();
        showShared(sharedSessions);
    }

    /**
     * The Demo VM's sessions, on the connections it made (its ports and token): shown while one is connected,
     * each with its state, where it collects from, and its figures. They are driven from their own window.
     */
    private void showShared(List<SharedSession> sessions) {
        shared.getStyleClass().add("live-shared");
        Label title = label("Demo VM sessions (connected by the Demo VM, which drives them)");
        shared.getChildren().add(title);
        BooleanBinding any = Bindings.createBooleanBinding(() -> false);
        for (SharedSession session : sessions) {
            LiveViewModel other = session.model();
            Label state = new Label();
            state.getStyleClass().add("live-state");
            state.textProperty().bind(Bindings.createStringBinding(() -> "\u25CF " + other.stateProperty().get().label(),
                    other.stateProperty()));
            Label text = new Label();
            text.getStyleClass().add("live-shared-figures");
            text.setWrapText(true);
            text.textProperty().bind(Bindings.createStringBinding(() -> other.originProperty().get() + " \u00B7 "
                    + other.statusProperty().get() + " \u00B7 " + figuresOf(other, "the agent in the guest fell behind"),
                    dependencies(other, other.originProperty(), other.statusProperty())));
            HBox row = row(label(session.label()), state, text);
            row.setUserData(session.label());
            row.getStyleClass().add("live-shared-session");
            shared.getChildren().add(row);
            any = any.or(other.stateProperty().isNotEqualTo(LiveState.DISCONNECTED));
        }
        shared.visibleProperty().bind(any);
        shared.managedProperty().bind(shared.visibleProperty());
    }

    private void configureFields() {
        address.setPromptText("host:port");
        address.setPrefColumnCount(16);
        HoverTip.install(address, "Where the agent listens: kcov-explorer agent --listen [ADDR:]PORT");
        token.setPromptText("token (not on loopback)");
        token.setPrefColumnCount(12);
        HoverTip.install(thisMachine, "Collect this machine's kcov (/sys/kernel/debug/kcov) through an agent "
                + "in this process");
        thisMachine.setDisable(!LiveViewModel.thisMachineHasKcov());
        mode.getItems().addAll(TraceMode.PC, TraceMode.CMP);
        mode.setValue(TraceMode.PC);
        mode.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(TraceMode value) {
                return value == null ? "" : value == TraceMode.PC ? "PCs" : "Comparisons";
            }

            @Override
            public TraceMode fromString(String text) {
                return TraceMode.parse(text);
            }
        });
        usbBuses.setPromptText("1, 2");
        usbBuses.setPrefColumnCount(6);
        commonHandle.setPromptText("0x42");
        commonHandle.setPrefColumnCount(8);
        HoverTip.install(commonHandle, "The common handle a vhost or other common-handle user was set up with");
        areaWords.setPrefColumnCount(5);
        HoverTip.install(areaWords, "kcov area size in words (K and M suffixes): what one drain can hold");
        keepOnDisconnect.setSelected(true);
        // Offer the target's buses: filled in when the field is still empty. Also those a target reported before this
        // view was made (it is made when the Live window is first chosen).
        model.usbBuses().addListener((ListChangeListener<Message.UsbBus>) change -> offerBuses(change.getList()));
        if (!model.usbBuses().isEmpty()) {
            offerBuses(model.usbBuses());
        }
    }

    private void offerBuses(List<? extends Message.UsbBus> buses) {
        String offered = buses.stream().map(bus -> Integer.toString(bus.bus())).collect(Collectors.joining(", "));
        usbBuses.setTooltip(new Tooltip(buses.isEmpty() ? "The target reported no USB buses"
                : buses.stream().map(bus -> "bus " + bus.bus() + ": USB " + bus.version() + ", "
                        + bus.speed() + " Mb/s, " + bus.controller()).collect(Collectors.joining("\n"))));
        if (usbBuses.getText().isBlank()) {
            usbBuses.setText(offered);
        }
    }

    private void bindCommands(ObservableBooleanValue sessionOpen, UnaryOperator<String> freeLabel,
            Consumer<String> freezeInto, Runnable saveSession) {
        BooleanBinding disconnected = model.stateProperty().isEqualTo(LiveState.DISCONNECTED);
        BooleanBinding connected = model.stateProperty().isEqualTo(LiveState.CONNECTED);
        BooleanBinding collecting = model.stateProperty().isEqualTo(LiveState.COLLECTING);
        connect.textProperty().bind(Bindings.when(disconnected).then("Connect").otherwise("Disconnect"));
        connect.setDefaultButton(false);
        connect.setOnAction(e -> {
            if (disconnected.get()) {
                model.connect(address.getText(), token.getText());
            } else {
                model.disconnect();
            }
        });
        address.setOnAction(e -> model.connect(address.getText(), token.getText()));
        thisMachine.setOnAction(e -> model.connectToThisMachine());
        start.disableProperty().bind(connected.not());
        start.setOnAction(e -> model.start(new CollectionForm(mode.getValue(), usbBuses.getText(),
                commonHandle.getText(), areaWords.getText(), false, keepOnDisconnect.isSelected())));
        stop.disableProperty().bind(collecting.not());
        stop.setOnAction(e -> model.stop());
        pause.selectedProperty().addListener((obs, old, paused) -> model.setPaused(paused));
        pause.disableProperty().bind(disconnected);
        HoverTip.install(pause, "Hold the figures and editors still; coverage keeps arriving and is counted");
        HoverTip.install(reset, "Forget the coverage received so far");
        reset.setOnAction(e -> model.reset());
        BooleanBinding nothing = model.uniquePcsProperty().isEqualTo(0);
        BooleanBinding noSession = Bindings.createBooleanBinding(() -> !sessionOpen.get(), sessionOpen);
        freeze.disableProperty().bind(nothing.or(noSession));
        HoverTip.install(freeze, "Keep the coverage so far as a normal run of the session; live goes on");
        freeze.setOnAction(e -> askFreeze(freeLabel, freezeInto));
        save.disableProperty().bind(noSession);
        save.setOnAction(e -> saveSession.run());
    }

    private void askFreeze(UnaryOperator<String> freeLabel, Consumer<String> freezeInto) {
        TextInputDialog dialog = new TextInputDialog(freeLabel.apply("frozen"));
        dialog.setTitle("Freeze live coverage");
        dialog.setHeaderText("Label of the new run (used in expressions)");
        if (getScene() != null) {
            dialog.initOwner(getScene().getWindow());
        }
        dialog.showAndWait().map(String::trim).filter(label -> !label.isEmpty()).ifPresent(freezeInto);
    }

    private void bindFigures() {
        state.getStyleClass().add("live-state");
        model.stateProperty().addListener((obs, old, now) -> showState(now));
        showState(model.stateProperty().get());
        status.textProperty().bind(Bindings.createStringBinding(() -> {
            String kernel = model.kernelProperty().get();
            return model.statusProperty().get() + (kernel.isEmpty() ? "" : " \u00B7 target: " + kernel);
        }, model.statusProperty(), model.kernelProperty()));
        figures.textProperty().bind(Bindings.createStringBinding(() -> figuresOf(model, "raise Area"),
                dependencies(model)));
    }

    /** A session's figures: PCs, unique, rate, batches, and what was lost ({@code remedy}: what avoids an overflow). */
    private static String figuresOf(LiveViewModel model, String remedy) {
        String text = COUNT.format(model.pcsProperty().get()) + " PCs \u00B7 "
                + COUNT.format(model.uniquePcsProperty().get()) + " unique \u00B7 "
                + COUNT.format(model.pcsPerSecondProperty().get()) + " PCs/s \u00B7 "
                + COUNT.format(model.batchesProperty().get()) + " batches";
        if (model.comparisonsProperty().get() > 0) {
            text += " \u00B7 " + COUNT.format(model.comparisonsProperty().get())
                    + " comparisons (the live run's comparison sites: Comparisons tab and gutter)";
        }
        if (model.overflowsProperty().get() > 0) {
            text += " \u00B7 kernel area overflowed in " + COUNT.format(model.overflowsProperty().get())
                    + " batches (coverage dropped: " + remedy + ")";
        }
        if (model.lostBatchesProperty().get() > 0) {
            text += " \u00B7 " + COUNT.format(model.lostBatchesProperty().get()) + " batches lost";
        }
        return text + (model.pausedProperty().get() ? " \u00B7 view paused" : "");
    }

    private static Observable[] dependencies(LiveViewModel model, Observable... more) {
        List<Observable> all = new ArrayList<>(List.of(model.pcsProperty(),
                model.uniquePcsProperty(), model.pcsPerSecondProperty(), model.batchesProperty(),
                model.overflowsProperty(), model.lostBatchesProperty(), model.comparisonsProperty(),
                model.pausedProperty()));
        all.addAll(List.of(more));
        return all.toArray(Observable[]::new);
    }

    private void showState(LiveState now) {
        state.getStyleClass().removeIf(style -> style.startsWith("live-state-"));
        state.getStyleClass().add("live-state-" + now.name().toLowerCase(Locale.ROOT));
        state.setText("\u25CF " + now.label());
    }

    private static HBox row(javafx.scene.Node... nodes) {
        HBox row = new HBox(6, nodes);
        row.getStyleClass().add("live-row");
        return row;
    }

    private static HBox pair(String text, javafx.scene.Node field) {
        return row(label(text), field);
    }

    private static Label label(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("live-label");
        return label;
    }

    private static Region spacer() {
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return spacer;
    }

    /** The address field, for tests. */
    /** PCs or comparisons: what Start collects. */
    public ChoiceBox<TraceMode> mode() {
        return mode;
    }

    public TextField address() {
        return address;
    }

    /** The token field, for tests. */
    public PasswordField token() {
        return token;
    }

    /** The area size field, for tests. */
    public TextField areaWords() {
        return areaWords;
    }

    /** The USB bus field, for tests. */
    public TextField usbBuses() {
        return usbBuses;
    }
}
