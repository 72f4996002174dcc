package dev.kcovexplorer.app.ui.runs;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Runs tool window: the session's runs with their figures and visibility, and the commands on
 * them (add dump files, rename, remove). The session owner reacts through the callbacks it installs.
 */
public final class RunsViewModel {
    /** What the session owner does when the user changes the runs. */
    public interface Actions {
        void addDumps(List<Path> files);

        void rename(RunItem run, String newLabel);

        void remove(RunItem run);

        /** A visibility checkbox changed. */
        void visibilityChanged();

        /** A series card is to stand for its snapshot at position {@code index}. */
        void pick(RunItem series, int index);

        /** Show what {@code run} reached that no other visible run did, in every view. */
        void showUnique(RunItem run);
    }

    private final ObservableList<RunItem> runs = FXCollections.observableArrayList();
    private final ObservableList<RunItem> runsView = FXCollections.unmodifiableObservableList(runs);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private Actions actions;

    public ObservableList<RunItem> runs() {
        return runsView;
    }

    /** Why the last rename was refused, "" after a good one. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public void setActions(Actions actions) {
        this.actions = actions;
    }

    /**
     * Shows {@code items}. Items equal to the ones shown are kept, so a live run's new figures redraw one
     * card, not the list.
     */
    public void setRuns(List<RunItem> items) {
        if (items.size() != runs.size()) {
            runs.setAll(items);
            items.forEach(this::watch);
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).sameAs(runs.get(i))) {
                runs.set(i, items.get(i));
                watch(items.get(i));
            }
        }
    }

    private void watch(RunItem run) {
        run.visibleProperty().addListener((obs, old, now) -> {
            if (actions != null) {
                actions.visibilityChanged();
            }
        });
    }

    public void addDumps(List<Path> files) {
        if (actions != null && !files.isEmpty()) {
            actions.addDumps(files);
        }
    }

    /**
     * Renames a run. Any label works in expressions (quoted when it is not a plain name), except one
     * holding both quote characters, and labels must be unique.
     */
    public boolean rename(RunItem run, String newLabel) {
        String label = newLabel == null ? "" : newLabel.trim();
        if (label.isEmpty() || label.contains("'") && label.contains("\"")) {
            error.set(label.isEmpty() ? "a run needs a label" : "a label cannot hold both ' and \"");
            return false;
        }
        for (RunItem other : runs) {
            if (other != run && other.label().equals(label)) {
                error.set("another run is already called '" + label + "'");
                return false;
            }
        }
        error.set("");
        run.setLabel(label);
        if (actions != null) {
            actions.rename(run, label);
        }
        return true;
    }

    /** Makes a series card stand for its snapshot at {@code index} (0 = the first); out-of-range picks are ignored. */
    public void pick(RunItem series, int index) {
        if (series.series() != null && index >= 0 && index < series.series().size()
                && index != series.series().picked() && actions != null) {
            actions.pick(series, index);
        }
    }

    /** "Show unique coverage" on a card. */
    public void showUnique(RunItem run) {
        if (actions != null) {
            actions.showUnique(run);
        }
    }

    /** The unique-coverage figure of each card, by {@link RunItem#runLabel()}; cards not in it show none. */
    public void setUnique(java.util.Map<String, Integer> points) {
        for (RunItem run : runs) {
            Integer count = points.get(run.runLabel());
            run.setUnique(count == null ? "" : "unique: " + dev.kcovexplorer.app.model.Figures.count(count)
                    + (count == 1 ? " point" : " points"));
        }
    }

    public void remove(RunItem run) {
        if (runs.remove(run) && actions != null) {
            actions.remove(run);
        }
    }
}
