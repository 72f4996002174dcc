package dev.kcovexplorer.app.ui.functions;

import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

/**
 * The Functions tool window: every function of the composition with its figures, narrowed by a
 * {@link FunctionFilter} off the FX thread. {@link #rows()} is what the table shows; {@link #all()} every
 * function, for "go to function".
 */
public final class FunctionsViewModel {
    /** Where double-click sends a function: its file and first line. */
    @FunctionalInterface
    public interface Navigator {
        void open(String path, int line);
    }

    private final BackgroundTasks tasks;
    private final WholeReplacedList<FunctionRow> rows = new WholeReplacedList<>();
    private final ReadOnlyBooleanWrapper diff = new ReadOnlyBooleanWrapper(this, "diff");
    private final ReadOnlyIntegerWrapper total = new ReadOnlyIntegerWrapper(this, "total");
    private final ReadOnlyObjectWrapper<FunctionRow> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ReadOnlyBooleanWrapper modules = new ReadOnlyBooleanWrapper(this, "modules");
    private final StringProperty filterText = new SimpleStringProperty(this, "filterText", "");
    private final ObjectProperty<FunctionFilter.Shown> shownClass =
            new SimpleObjectProperty<>(this, "shownClass", FunctionFilter.Shown.ALL);
    private Navigator navigator = (path, line) -> { };
    private List<FunctionRow> all = List.of();
    private boolean shown = true;
    private boolean rowsStale;

    public FunctionsViewModel(BackgroundTasks tasks) {
        this.tasks = tasks;
        filterText.addListener((obs, old, now) -> refilter());
        shownClass.addListener((obs, old, now) -> refilter());
    }

    /** The functions the table shows: all of them, or those the filter keeps. */
    public ObservableList<FunctionRow> rows() {
        return rows;
    }

    /** Every function of the composition, whatever the filter. */
    public List<FunctionRow> all() {
        return all;
    }

    /** How many functions there are before filtering. */
    public ReadOnlyIntegerProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    /** Words every shown function's name or file contains. */
    public StringProperty filterTextProperty() {
        return filterText;
    }

    /** The coverage class shown. */
    public ObjectProperty<FunctionFilter.Shown> shownClassProperty() {
        return shownClass;
    }

    /** The row the user selected, or null: what the coverage-over-time chart counts. */
    public ReadOnlyObjectProperty<FunctionRow> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** The view reports the selected row. */
    public void select(FunctionRow row) {
        selected.set(row);
    }

    /** Whether some function has code in a loadable module: then the table says which image each is in. */
    public ReadOnlyBooleanProperty modulesProperty() {
        return modules.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty diffProperty() {
        return diff.getReadOnlyProperty();
    }

    public void setNavigator(Navigator navigator) {
        this.navigator = navigator;
    }

    /**
     * @param functions   the rows, sorted off the FX thread: the table shows them in that order as they are
     * @param withModules the session has loadable modules: the table says which image each function is in
     */
    public void setFunctions(MostCoveredFirst functions, boolean isDiff, boolean withModules) {
        all = functions.rows();
        total.set(all.size());
        modules.set(withModules);
        diff.set(isDiff);
        if (shown) {
            showRows();
        } else {
            rowsStale = true;
        }
    }

    /**
     * The view says whether the table is on screen. While it is not, its rows wait (every function and the
     * figures above stay current): live coverage changes them several times a second, and each change
     * re-sorts every kernel function in the table.
     */
    public void setShown(boolean onScreen) {
        shown = onScreen;
        if (onScreen && rowsStale) {
            showRows();
        }
    }

    private void showRows() {
        rowsStale = false;
        if (filter().isAll()) {
            rows.replaceWith(all);
        } else {
            refilter();
        }
    }

    public void clear() {
        rowsStale = false;
        all = List.of();
        total.set(0);
        modules.set(false);
        rows.replaceWith(List.of());
        diff.set(false);
    }

    public void open(FunctionRow row) {
        if (row != null) {
            navigator.open(row.path(), row.line());
        }
    }

    /** The row for a function name (first match), for "go to function". */
    public FunctionRow find(String name) {
        for (FunctionRow row : all) {
            if (row.name().equals(name)) {
                return row;
            }
        }
        return null;
    }

    private FunctionFilter filter() {
        return new FunctionFilter(filterText.get(), shownClass.get());
    }

    /** Filters off the FX thread; a newer filter or new figures cancel an older filtering. */
    private void refilter() {
        List<FunctionRow> source = all;
        FunctionFilter filter = filter();
        // Made immutable here, off the FX thread: the rows then keep the filter's list as it is.
        tasks.submitLatest("functions-filter", "Filtering functions", progress -> List.copyOf(filter.apply(source)), kept -> {
            if (source == all) {
                rows.replaceWith(kept);
            }
        });
    }
}
