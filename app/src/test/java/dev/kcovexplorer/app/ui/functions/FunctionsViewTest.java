package dev.kcovexplorer.app.ui.functions;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.ShownStages;
import dev.kcovexplorer.app.ui.Themes;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.util.Comparator;
import java.util.List;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.layout.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Functions table shows its rows in the order its columns ask for: most covered first by default (the order
 * the rows come in, kept without sorting them again), any other order sorted, and back; the row selected stays
 * selected across a change of order.
 */
class FunctionsViewTest {
    @RegisterExtension
    final ShownStages stages = new ShownStages();

    @Test
    void theTableShowsTheOrderItsColumnsAskFor() throws Exception {
        FunctionsViewModel model = new FunctionsViewModel(BackgroundTasks.onFxThread());
        FunctionsView view = shown(model);
        // Not in order: sorted most covered first, ties in the order given.
        List<FunctionRow> rows = List.of(row("b_two", 2), row("a_five", 5), row("d_two", 2), row("c_nine", 9),
                row("e_zero", 0));
        setFunctions(model, rows);
        assertThat(shownNames(view)).containsExactly("c_nine", "a_five", "b_two", "d_two", "e_zero");
        // In that order the table shows the model's rows themselves: no sorted copy remade at every new composition
        // (at kernel scale 312,988 entries, most of the FX thread's 25-35 ms per composition).
        assertThat(onFx(() -> view.table().getItems() == model.rows())).as("the model's rows shown as they are").isTrue();

        TableColumn<FunctionRow, ?> name = view.table().getColumns().get(0);
        TableColumn<FunctionRow, ?> covered = view.table().getColumns().get(3);
        onFx(() -> {
            view.table().getSelectionModel().select(2);
            view.table().getSortOrder().setAll(List.of(name));
            return null;
        });
        assertThat(shownNames(view)).containsExactly("a_five", "b_two", "c_nine", "d_two", "e_zero");
        assertThat(onFx(() -> view.table().getSelectionModel().getSelectedItem().name())).isEqualTo("b_two");
        // New rows in another order are sorted as they come.
        setFunctions(model, List.of(row("b_two", 2), row("a_five", 5), row("f_one", 1)));
        assertThat(shownNames(view)).containsExactly("a_five", "b_two", "f_one");
        setFunctions(model, rows);
        assertThat(shownNames(view)).containsExactly("a_five", "b_two", "c_nine", "d_two", "e_zero");

        onFx(() -> {
            covered.setSortType(TableColumn.SortType.ASCENDING);
            view.table().getSortOrder().setAll(List.of(covered));
            return null;
        });
        assertThat(shownNames(view)).containsExactly("e_zero", "b_two", "d_two", "a_five", "c_nine");

        onFx(() -> {
            covered.setSortType(TableColumn.SortType.DESCENDING);
            return null;
        });
        assertThat(shownNames(view)).containsExactly("c_nine", "a_five", "b_two", "d_two", "e_zero");
        assertThat(onFx(() -> view.table().getItems() == model.rows())).as("back to the model's rows").isTrue();

        // New rows while the default order holds are shown as they come, most covered first.
        setFunctions(model, rows.stream().sorted(Comparator.comparing(FunctionRow::name)).toList());
        assertThat(shownNames(view)).containsExactly("c_nine", "a_five", "b_two", "d_two", "e_zero");
    }

    /**
     * New figures replace the rows in one change that hands the rows shown before as they were, not an element at a
     * time: JavaFX's {@code setAll} recorded each of the kernel's 312,988 functions twice (removed, added), 15-24 ms
     * of the FX thread at every composition. The table follows that one change.
     */
    @Test
    void newRowsReplaceTheShownOnesInOneChange() throws Exception {
        FunctionsViewModel model = new FunctionsViewModel(BackgroundTasks.onFxThread());
        FunctionsView view = shown(model);
        List<FunctionRow> before = List.of(row("c_nine", 9), row("a_five", 5), row("b_two", 2));
        setFunctions(model, before);
        List<FunctionRow> shownBefore = onFx(model::all);
        List<String> changes = new java.util.ArrayList<>();
        List<List<? extends FunctionRow>> removed = new java.util.ArrayList<>();
        onFx(() -> {
            model.rows().addListener((javafx.collections.ListChangeListener<FunctionRow>) change -> {
                while (change.next()) {
                    changes.add(change.getFrom() + ".." + change.getTo() + (change.wasReplaced() ? " replaced" : ""));
                    removed.add(change.getRemoved());
                }
            });
            model.setFunctions(MostCoveredFirst.sort(List.of(row("d_seven", 7), row("a_five", 4))), true, false);
            return null;
        });
        assertThat(changes).containsExactly("0..2 replaced");
        assertThat(removed.get(0)).as("the rows shown before, handed over as they were").isSameAs(shownBefore);
        assertThat(shownNames(view)).containsExactly("d_seven", "a_five");

        onFx(() -> {
            model.clear();
            return null;
        });
        assertThat(changes).containsExactly("0..2 replaced", "0..0");
        assertThat(shownNames(view)).isEmpty();
    }

    /**
     * The table is told its rows' height, so that it neither measures throwaway rows nor asks each row's cells theirs
     * (at kernel scale the first rows' layout did that on the FX thread). Told the wrong one, every row would be drawn
     * clipped or padded: it is the height the rows take when the table measures them, in both themes.
     */
    @Test
    void theRowsTakeTheHeightTheTableIsToldTheyHave() throws Exception {
        for (String theme : List.of("light", "dark")) {
            FunctionsViewModel model = new FunctionsViewModel(BackgroundTasks.onFxThread());
            FunctionsView view = shown(model);
            onFx(() -> {
                Themes.apply(view.getScene(), theme);
                model.setFunctions(MostCoveredFirst.sort(List.of(row("c_nine", 9), row("a_five", 5), row("e_zero", 0))),
                        false, false);
                return null;
            });
            double told = onFx(() -> view.table().getFixedCellSize());
            double[] measured = onFx(() -> {
                view.table().setFixedCellSize(Region.USE_COMPUTED_SIZE);
                view.applyCss();
                view.layout();
                return view.table().lookupAll(".table-row-cell").stream()
                        .filter(node -> !((TableRow<?>) node).isEmpty())
                        .mapToDouble(node -> ((TableRow<?>) node).getHeight()).toArray();
            });
            assertThat(measured).as(theme).hasSize(3).containsOnly(told);
        }
    }

    /** The table's items in order: its sorted copy follows each change at once, on the FX thread that made it. */
    private static List<String> shownNames(FunctionsView view) throws Exception {
        return onFx(() -> view.table().getItems().stream().map(FunctionRow::name).toList());
    }

    /** Gives {@code model} {@code rows}, sorted as the snapshot's worker sorts them, on the FX thread. */
    private static void setFunctions(FunctionsViewModel model, List<FunctionRow> rows) throws Exception {
        onFx(() -> {
            model.setFunctions(MostCoveredFirst.sort(rows), false, false);
            return null;
        });
    }

    private static FunctionRow row(String name, int covered) {
        return new FunctionRow(name, "drivers/x.c", 1, covered, 10, covered * 3L, 0, 0, null);
    }

    /** The Functions table of {@code model}, shown in the primary stage. */
    private FunctionsView shown(FunctionsViewModel model) throws Exception {
        return stages.showInPrimary(() -> {
            FunctionsView functions = new FunctionsView(model);
            model.setShown(true);
            return functions;
        }, 900, 600);
    }
}
