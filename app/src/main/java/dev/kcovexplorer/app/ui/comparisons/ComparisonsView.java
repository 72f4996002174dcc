package dev.kcovexplorer.app.ui.comparisons;

import dev.kcovexplorer.app.ui.tip.HoverTip;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The Comparisons tool window: a scope (the open file, or every reached site), a filter bar and a
 * sortable table of comparison sites with what they compared; double-click or Enter goes to the line.
 */
public final class ComparisonsView extends BorderPane {
    /** Sites in file order: path, then line, then address. */
    static final Comparator<ComparisonRow> BY_LOCATION = Comparator
            .comparing((ComparisonRow r) -> r.path() == null ? "\uffff" : r.path())
            .thenComparingInt(ComparisonRow::line)
            .thenComparing(r -> r.site().address(), Long::compareUnsigned);

    private final TableView<ComparisonRow> table = new TableView<>();
    private final TextField filterField = new TextField();

    public ComparisonsView(ComparisonsViewModel model) {
        getStyleClass().add("comparisons-view");
        table.getStyleClass().add("comparisons-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<ComparisonRow, ComparisonRow> location = column("Location", row -> row, 200);
        location.setComparator(BY_LOCATION);
        location.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(ComparisonRow row, boolean empty) {
                super.updateItem(row, empty);
                setText(empty || row == null ? null : row.location());
            }
        });
        TableColumn<ComparisonRow, String> function = column("Function", r -> r.site().function(), 160);
        TableColumn<ComparisonRow, String> kind = column("Kind", ComparisonRow::kind, 70);
        TableColumn<ComparisonRow, Long> records = column("Records", ComparisonRow::records, 80);
        TableColumn<ComparisonRow, Integer> distinct = column("Distinct", ComparisonRow::distinct, 70);
        TableColumn<ComparisonRow, String> note = column("Never matched", ComparisonRow::note, 260);
        TableColumn<ComparisonRow, String> change = column("Change", ComparisonRow::change, 120);
        change.visibleProperty().bind(model.diffProperty());
        TableColumn<ComparisonRow, String> run = column("Run", ComparisonRow::run, 90);
        TableColumn<ComparisonRow, String> values = column("Values (arg1/arg2 \u00D7count)", ComparisonRow::values, 320);
        records.getStyleClass().add("numeric");
        distinct.getStyleClass().add("numeric");
        table.getColumns().setAll(List.of(location, function, kind, records, distinct, note, change, run, values));
        SortedList<ComparisonRow> sorted = new SortedList<>(model.rows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.getSortOrder().add(location);
        table.setPlaceholder(new Label("No comparison sites here: a TRACE_CMP run shows its sites in the open file,"
                + " or choose all reached sites."));
        table.setRowFactory(view -> {
            TableRow<ComparisonRow> row = new TableRow<>() {
                @Override
                protected void updateItem(ComparisonRow item, boolean empty) {
                    super.updateItem(item, empty);
                    getStyleClass().removeAll("cmp-row", "cmp-row-missed", "cmp-row-unreached");
                    if (!empty && item != null) {
                        getStyleClass().add(item.missedConstant() ? "cmp-row-missed"
                                : item.records() == 0 ? "cmp-row-unreached" : "cmp-row");
                    }
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    model.open(row.getItem());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                model.open(table.getSelectionModel().getSelectedItem());
            }
        });
        setTop(header(model));
        setCenter(table);
    }

    public TableView<ComparisonRow> table() {
        return table;
    }

    public TextField filterField() {
        return filterField;
    }

    private VBox header(ComparisonsViewModel model) {
        ChoiceBox<ComparisonsViewModel.Scope> scope = new ChoiceBox<>();
        scope.getItems().setAll(ComparisonsViewModel.Scope.values());
        scope.valueProperty().bindBidirectional(model.scopeProperty());
        filterField.setPromptText("Filter by function, file, value or run (words, any order)");
        filterField.getStyleClass().add("tool-filter");
        filterField.textProperty().bindBidirectional(model.filterTextProperty());
        HBox.setHgrow(filterField, Priority.ALWAYS);
        CheckBox missed = new CheckBox("Never-matched constants");
        HoverTip.install(missed, "Only const and switch sites whose variable operand never equalled a constant:"
                + " the values a fuzzer has yet to find.");
        missed.selectedProperty().bindBidirectional(model.missedOnlyProperty());
        Label count = new Label();
        count.getStyleClass().add("tool-subtitle");
        count.textProperty().bind(Bindings.createStringBinding(() -> model.rows().size() == model.totalProperty().get()
                ? String.format(Locale.ROOT, "%,d sites", model.totalProperty().get())
                : String.format(Locale.ROOT, "%,d of %,d sites", model.rows().size(), model.totalProperty().get()),
                model.rows(), model.totalProperty()));
        HBox bar = new HBox(8, scope, filterField, missed, count);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("functions-filter-bar");
        Label summary = new Label();
        summary.getStyleClass().add("tool-subtitle");
        summary.textProperty().bind(model.summaryProperty());
        return new VBox(2, bar, summary);
    }

    private static <T> TableColumn<ComparisonRow, T> column(String title, Function<ComparisonRow, T> value, double width) {
        TableColumn<ComparisonRow, T> column = new TableColumn<>(title);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        column.setPrefWidth(width);
        return column;
    }
}
