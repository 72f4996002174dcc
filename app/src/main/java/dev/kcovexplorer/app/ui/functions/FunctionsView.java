package dev.kcovexplorer.app.ui.functions;

import dev.kcovexplorer.app.model.Figures;

import java.util.Comparator;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Pos;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/**
 * The Functions tool window: a filter bar (words of the name or file, a coverage class) over a sortable
 * table; double-click or Enter opens the function.
 */
public final class FunctionsView extends BorderPane {
    /**
     * Every row's height: one line of text, as tall as JavaFX's table cells are by default (24 px; their own text
     * needs less). Told it, the table neither lays out cells to measure them nor asks each row's cells their height:
     * at kernel scale its first rows made and styled throwaway rows to estimate 312,988 rows' height on the FX thread.
     */
    static final double ROW_HEIGHT = 24;
    private final TableView<FunctionRow> table = new TableView<>();
    /** The order the table asks for, null for the model's own (most covered first); held here, its listener with it. */
    private final ObservableValue<Comparator<FunctionRow>> order;
    private final TextField filterField = new TextField();

    public FunctionsView(FunctionsViewModel model) {
        getStyleClass().add("functions-view");
        table.getStyleClass().add("functions-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setFixedCellSize(ROW_HEIGHT);
        TableColumn<FunctionRow, String> name = column("Function", FunctionRow::name, 220);
        TableColumn<FunctionRow, String> file = column("File", FunctionRow::path, 260);
        TableColumn<FunctionRow, String> module = column("Module", FunctionRow::module, 110);
        module.getStyleClass().add("module-column");
        module.visibleProperty().bind(model.modulesProperty());
        TableColumn<FunctionRow, Integer> covered = column("Covered", FunctionRow::coveredPoints, 80);
        TableColumn<FunctionRow, Integer> points = column("Points", FunctionRow::points, 70);
        TableColumn<FunctionRow, Double> percent = column("%", FunctionRow::percent, 120);
        percent.setCellFactory(c -> new PercentCell());
        TableColumn<FunctionRow, Long> hits = column("Hits", FunctionRow::hits, 80);
        // Sorted by points gained: "what did B reach that A did not" is the question a diff is opened for.
        TableColumn<FunctionRow, Integer> change = column("\u0394 points", FunctionRow::gainedPoints, 90);
        change.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Integer value, boolean empty) {
                super.updateItem(value, empty);
                FunctionRow row = empty ? null : getTableRow().getItem();
                setText(row == null ? null : Figures.delta(row.gainedPoints(), row.lostPoints()));
            }
        });
        change.visibleProperty().bind(model.diffProperty());
        for (TableColumn<FunctionRow, ?> numeric : java.util.List.of(covered, points, percent, hits, change)) {
            numeric.getStyleClass().add("numeric");
        }
        table.getColumns().setAll(java.util.List.of(name, file, module, covered, points, percent, hits, change));
        // The model hands the rows most covered first, sorted off the FX thread: in that order the table shows the
        // model's list itself. Comparing 300,000 rows through the columns' cell values took 50 ms of the FX thread at
        // every update, even on rows already in order, and a sorted copy that keeps them as given still remade its
        // 312,988 entries at every new composition (kernel scale: setFunctions 25-35 ms of FX CPU, once 78; without
        // the copy 16-18). Any other order is a sorted copy made when the table asks for it.
        order = Bindings.createObjectBinding(
                () -> isMostCoveredFirst(covered) ? null : table.getComparator(),
                table.comparatorProperty(), table.getSortOrder(), covered.sortTypeProperty());
        order.addListener((obs, old, comparator) -> {
            FunctionRow selected = table.getSelectionModel().getSelectedItem();
            table.setItems(comparator == null ? model.rows() : new SortedList<>(model.rows(), comparator));
            if (selected != null) {
                table.getSelectionModel().select(selected);
            }
        });
        // The sorted copy does the sorting, in the order the table asks for: the default policy would refuse
        // a copy whose comparator is not the table's.
        table.setSortPolicy(view -> true);
        table.setItems(model.rows());
        // Most covered first: what ran is what a coverage explorer is opened for.
        covered.setSortType(TableColumn.SortType.DESCENDING);
        table.getSortOrder().add(covered);
        table.setRowFactory(view -> {
            TableRow<FunctionRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    model.open(row.getItem());
                }
            });
            return row;
        });
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> {
            if (row != null) {
                model.select(row);
            }
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                model.open(table.getSelectionModel().getSelectedItem());
            }
        });
        setTop(filterBar(model));
        setCenter(table);
    }

    /** The table's default order, the one the model's rows come in (a stable sort by covered points, most first). */
    private boolean isMostCoveredFirst(TableColumn<FunctionRow, Integer> covered) {
        return table.getSortOrder().size() == 1 && table.getSortOrder().get(0) == covered
                && covered.getSortType() == TableColumn.SortType.DESCENDING;
    }

    public TableView<FunctionRow> table() {
        return table;
    }

    /** The filter bar's text field. */
    public TextField filterField() {
        return filterField;
    }

    /**
     * Not ControlsFX's TableFilter: on a kernel's 60,000 functions its File menu took 2.5 s to open and
     * choosing one file 31 s, all on the FX thread. Words and a coverage class cover what people filter
     * functions by, and the filtering runs off the FX thread.
     */
    private HBox filterBar(FunctionsViewModel model) {
        filterField.setPromptText("Filter by function, file or module (words, any order)");
        filterField.getStyleClass().add("tool-filter");
        filterField.textProperty().bindBidirectional(model.filterTextProperty());
        HBox.setHgrow(filterField, Priority.ALWAYS);
        ChoiceBox<FunctionFilter.Shown> shown = new ChoiceBox<>();
        shown.getItems().setAll(FunctionFilter.Shown.values());
        shown.valueProperty().bindBidirectional(model.shownClassProperty());
        Label count = new Label();
        count.getStyleClass().add("tool-subtitle");
        count.textProperty().bind(Bindings.createStringBinding(() -> model.rows().size() == model.totalProperty().get()
                ? String.format(Locale.ROOT, "%,d functions", model.totalProperty().get())
                : String.format(Locale.ROOT, "%,d of %,d functions", model.rows().size(), model.totalProperty().get()),
                model.rows(), model.totalProperty()));
        HBox bar = new HBox(8, filterField, shown, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("functions-filter-bar");
        return bar;
    }

    /** "83.3%" with the same coverage bar as the project tree. */
    private static final class PercentCell extends TableCell<FunctionRow, Double> {
        private final Region fill = new Region();
        private final StackPane bar = new StackPane(fill);
        private final Label text = new Label();
        private final HBox box = new HBox(6, bar, text);

        PercentCell() {
            bar.getStyleClass().add("coverage-bar");
            fill.getStyleClass().add("coverage-bar-fill");
            StackPane.setAlignment(fill, Pos.CENTER_LEFT);
            text.getStyleClass().add("percent-text");
            box.setAlignment(Pos.CENTER_RIGHT);
        }

        @Override
        protected void updateItem(Double value, boolean empty) {
            super.updateItem(value, empty);
            FunctionRow row = empty ? null : getTableRow().getItem();
            if (row == null) {
                setGraphic(null);
                return;
            }
            text.setText(Figures.percent(row.coveredPoints(), row.points()));
            fill.maxWidthProperty().bind(bar.widthProperty().multiply(Figures.fraction(row.coveredPoints(), row.points())));
            setGraphic(box);
        }
    }

    private static <T> TableColumn<FunctionRow, T> column(String title, Function<FunctionRow, T> value, double width) {
        TableColumn<FunctionRow, T> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        column.setPrefWidth(width);
        return column;
    }
}
