package dev.kcovexplorer.app.ui.runs;

import dev.kcovexplorer.app.ui.tip.HoverTip;
import dev.kcovexplorer.kcov.Printable;
import java.io.File;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.CornerRadii;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/** The Runs tool window: one card per run; drop dump files here to add runs. */
public final class RunsView extends BorderPane {
    private final RunsViewModel model;
    private final ListView<RunItem> list = new ListView<>();

    public RunsView(RunsViewModel model) {
        this.model = model;
        getStyleClass().add("runs-view");
        list.getStyleClass().add("runs-list");
        list.setItems(model.runs());
        list.setCellFactory(view -> new RunCell());
        Label empty = new Label("Drop kcov dumps here");
        empty.getStyleClass().add("empty-hint");
        list.setPlaceholder(empty);
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            List<File> files = e.getDragboard().getFiles();
            model.addDumps(files.stream().map(File::toPath).toList());
            e.setDropCompleted(!files.isEmpty());
            e.consume();
        });
        setCenter(list);
    }

    public ListView<RunItem> list() {
        return list;
    }

    private void askRename(RunItem run) {
        TextInputDialog dialog = new TextInputDialog(run.label());
        dialog.setTitle("Rename run");
        dialog.setHeaderText("New label for " + run.label() + " (used in expressions)");
        if (getScene() != null) {
            dialog.initOwner(getScene().getWindow());
        }
        dialog.showAndWait().ifPresent(label -> {
            if (!model.rename(run, label)) {
                new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.WARNING,
                        model.errorProperty().get()).showAndWait();
            }
        });
    }

    /**
     * Checkbox, colour swatch, label and source, then the figures in smaller type; a series' card adds the
     * snapshot it stands for, to pick another.
     */
    private final class RunCell extends ListCell<RunItem> {
        /** A 12-pixel round dot (explorer.css's .run-swatch sizes it). */
        private static final CornerRadii SWATCH_CORNERS = new CornerRadii(6);

        // Made when the cell first shows a series: a combo box's skin (a list for its popup among it) is the costliest
        // part of a card, and most runs are not series.
        private ComboBox<String> snapshot;
        // One a cell, its text changed with the run, made at the cell's first hover (HoverTip): a tooltip is a popup
        // window, too much to make at every update or for every card the start shows.
        private final StringProperty tip = new SimpleStringProperty(this, "tip", "");
        private final Label unique = new Label();
        private boolean filling;
        private final CheckBox visible = new CheckBox();
        private final Region swatch = new Region();
        private final Label label = new Label();
        private final Label source = new Label();
        private final Label details = new Label();
        private final Label attribution = new Label();
        private final Label warning = new Label();
        private final VBox text = new VBox(1);
        private final HBox card;
        private RunItem bound;

        RunCell() {
            swatch.getStyleClass().add("run-swatch");
            label.getStyleClass().add("run-label");
            source.getStyleClass().add("run-source");
            details.getStyleClass().add("run-details");
            attribution.getStyleClass().add("run-details");
            warning.getStyleClass().add("run-warning");
            warning.setWrapText(true);
            HBox title = new HBox(6, label, source);
            unique.getStyleClass().add("run-unique");
            text.getChildren().addAll(title, details, attribution, unique, warning);
            HBox.setHgrow(text, Priority.ALWAYS);
            card = new HBox(8, visible, swatch, text);
            card.getStyleClass().add("run-card");
            // The cell takes the list's width instead of its text's, so long figures wrap or elide, never scroll.
            setPrefWidth(0);
            text.setMinWidth(0);
            // Made at the first request, by mouse, keyboard or screen reader (each fires this event; the control's own
            // handler shows the menu after its filters): a context menu is a popup window with a scene of its own, about
            // 1 ms of a cold JVM's CPU a card, 9 of the warm-up's and 3-4 of the pulse that lays out a session's cards.
            addEventFilter(ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
                if (getContextMenu() == null) {
                    setContextMenu(runMenu());
                }
            });
            HoverTip.install(this, tip);
            setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && getItem() != null) {
                    askRename(getItem());
                }
            });
        }

        @Override
        protected void updateItem(RunItem run, boolean empty) {
            super.updateItem(run, empty);
            if (bound != null) {
                visible.selectedProperty().unbindBidirectional(bound.visibleProperty());
                label.textProperty().unbind();
                unique.textProperty().unbind();
                bound = null;
            }
            if (empty || run == null) {
                hideCard();
                // No run, no tooltip: kept, it named the run this cell showed last (one since removed) to the mouse
                // and to a screen reader.
                tip.set("");
                return;
            }
            bound = run;
            visible.selectedProperty().bindBidirectional(run.visibleProperty());
            label.textProperty().bind(Bindings.createStringBinding(() -> Printable.of(run.label()), run.labelProperty()));
            unique.textProperty().bind(run.uniqueProperty());
            unique.visibleProperty().bind(run.uniqueProperty().isNotEmpty());
            unique.managedProperty().bind(unique.visibleProperty());
            showSnapshots(run.series());
            // A background, not an inline style: each new style string made the swatch's styles again (reapplyCss), for
            // every run a cell showed, the list's size estimate showing every run on one cell.
            swatch.setBackground(new Background(new BackgroundFill(Color.web(run.colour()), SWATCH_CORNERS, Insets.EMPTY)));
            source.setText(Printable.of(run.source()));
            details.setText(Printable.of(run.details()));
            attribution.setText(run.attribution());
            boolean warn = run.warning() != null;
            warning.setText(warn ? "\u26A0 " + Printable.of(run.warning()) : "");
            warning.setVisible(warn);
            warning.setManaged(warn);
            tip.set(Printable.of(run.label()) + " \u2014 " + Printable.of(run.source()) + "\n"
                    + Printable.of(run.details()) + "\n" + run.attribution());
            card.setVisible(true);
            card.setManaged(true);
            setGraphic(card);
        }

        /**
         * An empty cell keeps its card as its graphic, hidden, out of the layout (the cell's skin then sizes and draws it
         * as a cell without one) and without the texts of the run it showed. Taken out and put back, the card's nodes
         * were styled from scratch for the next run: the list measures every run's card on one cell that goes empty
         * between two (its size estimate), 10 cards restyled in the pulse that lays out a 10-run session's cards.
         */
        private void hideCard() {
            card.setVisible(false);
            card.setManaged(false);
            showSnapshots(null);
            for (Label text : List.of(label, source, details, attribution, unique, warning)) {
                text.setText("");
            }
        }

        private ContextMenu runMenu() {
            MenuItem rename = new MenuItem("Rename\u2026");
            rename.setOnAction(e -> askRename(getItem()));
            MenuItem remove = new MenuItem("Remove");
            remove.setOnAction(e -> model.remove(getItem()));
            MenuItem showUnique = new MenuItem("Show Unique Coverage");
            showUnique.setOnAction(e -> model.showUnique(getItem()));
            return new ContextMenu(rename, remove, showUnique);
        }

        /** The series' snapshots by time, the picked one selected; hidden for a run of its own. */
        private void showSnapshots(RunItem.Series series) {
            if (series == null) {
                if (snapshot != null) {
                    snapshot.setVisible(false);
                    snapshot.setManaged(false);
                }
                return;
            }
            if (snapshot == null) {
                snapshot = snapshotChooser();
                text.getChildren().add(1, snapshot); // under the title
            }
            snapshot.setVisible(true);
            snapshot.setManaged(true);
            filling = true;
            snapshot.getItems().setAll(series.choices());
            snapshot.getSelectionModel().select(series.picked());
            filling = false;
        }

        private ComboBox<String> snapshotChooser() {
            ComboBox<String> chooser = new ComboBox<>();
            chooser.getStyleClass().add("series-snapshot");
            chooser.setVisibleRowCount(12);
            chooser.getSelectionModel().selectedIndexProperty().addListener((obs, old, index) -> {
                if (!filling && getItem() != null) {
                    model.pick(getItem(), index.intValue());
                }
            });
            return chooser;
        }
    }

}
