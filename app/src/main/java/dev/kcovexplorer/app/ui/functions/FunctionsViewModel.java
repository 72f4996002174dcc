package dev.kcovexplorer.app.ui.functions;

import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Functions tool window: every function of the composition with its figures. The row list is
 * replaced in place (never swapped for a new list) because ControlsFX's TableFilter wraps it once.
 */
public final class FunctionsViewModel {
    /** Where double-click sends a function: its file and first line. */
    @FunctionalInterface
    public interface Navigator {
        void open(String path, int line);
    }

    private final ObservableList<FunctionRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper diff = new ReadOnlyBooleanWrapper(this, "diff");
    private Navigator navigator = (path, line) -> { };
    private boolean shown = true;
    // Figures that arrived while the table was hidden, applied when it shows again.
    private List<FunctionRow> pending;
    private boolean pendingDiff;

    /** The backing list the table filter wraps; change it only through {@link #setFunctions}. */
    public ObservableList<FunctionRow> rows() {
        return rows;
    }

    public ReadOnlyBooleanProperty diffProperty() {
        return diff.getReadOnlyProperty();
    }

    public void setNavigator(Navigator navigator) {
        this.navigator = navigator;
    }

    public void setFunctions(List<FunctionRow> functions, boolean isDiff) {
        if (!shown) {
            pending = functions;
            pendingDiff = isDiff;
            return;
        }
        pending = null;
        diff.set(isDiff);
        rows.setAll(functions);
    }

    /**
     * The view says whether the table is on screen. While it is not, new figures wait: live coverage
     * changes them several times a second, and each change re-sorts and re-filters every kernel function
     * through the table filter on the FX thread (tens of milliseconds for 83,000 rows).
     */
    public void setShown(boolean onScreen) {
        shown = onScreen;
        if (onScreen && pending != null) {
            setFunctions(pending, pendingDiff);
        }
    }

    public void clear() {
        pending = null;
        rows.clear();
        diff.set(false);
    }

    public void open(FunctionRow row) {
        if (row != null) {
            navigator.open(row.path(), row.line());
        }
    }

    /** The row for a function name (first match), for "go to function". */
    public FunctionRow find(String name) {
        for (FunctionRow row : rows) {
            if (row.name().equals(name)) {
                return row;
            }
        }
        return null;
    }
}
