package dev.kcovexplorer.app.ui.comparisons;

import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Comparisons tool window: the comparison sites of the TRACE_CMP runs shown, of the open file or
 * every site they reached, with what each compared, narrowed by a {@link ComparisonFilter}. Rows are
 * listed and filtered off the FX thread, and only while the window is on screen.
 */
public final class ComparisonsViewModel {
    /** Where double-click sends a site: its file and line. */
    @FunctionalInterface
    public interface Navigator {
        void open(String path, int line);
    }

    /** Which sites are listed. */
    public enum Scope {
        OPEN_FILE("Sites of the open file"),
        ALL_REACHED("All reached sites");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private record Listed(List<ComparisonRow> all, List<ComparisonRow> kept) {
    }

    private final BackgroundTasks tasks;
    private final ObservableList<ComparisonRow> rows = FXCollections.observableArrayList();
    private final ObservableList<ComparisonRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyIntegerWrapper total = new ReadOnlyIntegerWrapper(this, "total");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary",
            ComparisonSource.NONE.summary());
    private final ReadOnlyBooleanWrapper diff = new ReadOnlyBooleanWrapper(this, "diff");
    private final StringProperty filterText = new SimpleStringProperty(this, "filterText", "");
    private final BooleanProperty missedOnly = new SimpleBooleanProperty(this, "missedOnly");
    private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(this, "scope", Scope.OPEN_FILE);
    private ComparisonSource source = ComparisonSource.NONE;
    private String openFile;
    private Navigator navigator = (path, line) -> { };
    private boolean shown;
    private boolean stale;

    public ComparisonsViewModel(BackgroundTasks tasks) {
        this.tasks = tasks;
        filterText.addListener((obs, old, now) -> refresh());
        missedOnly.addListener((obs, old, now) -> refresh());
        scope.addListener((obs, old, now) -> refresh());
    }

    /** The rows the table shows. */
    public ObservableList<ComparisonRow> rows() {
        return rowsView;
    }

    /** Rows in the scope before filtering. */
    public ReadOnlyIntegerProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    /** "cmp: 1,234 of 20,518 sites reached", or why nothing is listed. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Diff mode: the rows say what changed from A to B. */
    public ReadOnlyBooleanProperty diffProperty() {
        return diff.getReadOnlyProperty();
    }

    public StringProperty filterTextProperty() {
        return filterText;
    }

    public BooleanProperty missedOnlyProperty() {
        return missedOnly;
    }

    public ObjectProperty<Scope> scopeProperty() {
        return scope;
    }

    public void setNavigator(Navigator navigator) {
        this.navigator = navigator;
    }

    /** The composition's comparisons, after every recompute. */
    public void setSource(ComparisonSource newSource) {
        source = newSource;
        summary.set(newSource.summary());
        diff.set(newSource.isDiff());
        refresh();
    }

    /** The file of the selected editor (null: none), for the open-file scope. */
    public void setOpenFile(String path) {
        openFile = path;
        if (scope.get() == Scope.OPEN_FILE) {
            refresh();
        }
    }

    /** The view says whether the table is on screen; off screen, rows wait until it is. */
    public void setShown(boolean onScreen) {
        shown = onScreen;
        if (onScreen && stale) {
            refresh();
        }
    }

    public void open(ComparisonRow row) {
        if (row != null && row.path() != null) {
            navigator.open(row.path(), row.line());
        }
    }

    private void refresh() {
        if (!shown) {
            stale = true;
            return;
        }
        stale = false;
        ComparisonSource from = source;
        String path = scope.get() == Scope.OPEN_FILE ? openFile : null;
        if (scope.get() == Scope.OPEN_FILE && path == null) {
            rows.clear();
            total.set(0);
            return;
        }
        ComparisonFilter filter = new ComparisonFilter(filterText.get(), missedOnly.get());
        tasks.submitLatest("comparisons-rows", "Listing comparisons", progress -> {
            List<ComparisonRow> all = from.rows(path);
            progress.checkCancelled();
            return new Listed(all, filter.apply(all));
        }, listed -> {
            if (from == source) {
                total.set(listed.all().size());
                rows.setAll(listed.kept());
            }
        });
    }
}
