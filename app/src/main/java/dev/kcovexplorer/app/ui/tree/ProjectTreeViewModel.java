package dev.kcovexplorer.app.ui.tree;

import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The Project tool window: the source tree of the current composition, narrowed by a filter and by
 * "hide files without coverage". Inputs are the two writable properties; the tree is rebuilt off the
 * FX thread whenever they or the figures change.
 */
public final class ProjectTreeViewModel {
    /** The key of the tree's building task ({@code BackgroundTasks.submitLatest}). */
    public static final String TASK_KEY = "project-tree";
    private final BackgroundTasks tasks;
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final BooleanProperty hideUncovered = new SimpleBooleanProperty(this, "hideUncovered", false);
    private final ReadOnlyObjectWrapper<ProjectNode> root = new ReadOnlyObjectWrapper<>(this, "root");
    private final ReadOnlyBooleanWrapper diff = new ReadOnlyBooleanWrapper(this, "diff");
    private final ReadOnlyObjectWrapper<String> revealed = new ReadOnlyObjectWrapper<>(this, "revealed");
    private final ReadOnlyObjectWrapper<ProjectNode> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ReadOnlyIntegerWrapper heatOf = new ReadOnlyIntegerWrapper(this, "heatOf", 0);
    private List<FileFigures> files = List.of();
    private Map<String, FileFigures> directories = Map.of();
    private Consumer<String> opener = path -> { };

    public ProjectTreeViewModel(BackgroundTasks tasks) {
        this.tasks = tasks;
        filter.addListener((obs, old, now) -> rebuild());
        hideUncovered.addListener((obs, old, now) -> rebuild());
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public BooleanProperty hideUncoveredProperty() {
        return hideUncovered;
    }

    /** The filtered tree, or null before a session is loaded. */
    public ReadOnlyObjectProperty<ProjectNode> rootProperty() {
        return root.getReadOnlyProperty();
    }

    /** True when the figures are a diff (the cells show +gained / −lost). */
    public ReadOnlyBooleanProperty diffProperty() {
        return diff.getReadOnlyProperty();
    }

    /** The file the tree should show selected (the selected editor's), or null. */
    public ReadOnlyObjectProperty<String> revealedProperty() {
        return revealed.getReadOnlyProperty();
    }

    /** Selects {@code path} in the tree, expanding its directories (IntelliJ's "select opened file"). */
    public void reveal(String path) {
        revealed.set(path);
    }

    /** The row the user selected (a directory or a file), or null: what the coverage-over-time chart counts. */
    public ReadOnlyObjectProperty<ProjectNode> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** The view reports the selected row. */
    public void select(ProjectNode node) {
        selected.set(node);
    }

    /**
     * Heat: rows are shaded by how many of this many runs hit them (0: heat is off, the rows show coverage).
     */
    public ReadOnlyIntegerProperty heatOfProperty() {
        return heatOf.getReadOnlyProperty();
    }

    public void setHeatOf(int runs) {
        heatOf.set(Math.max(0, runs));
    }

    /** Where "open" sends a file path (the editors). */
    public void setOpener(Consumer<String> opener) {
        this.opener = opener;
    }

    /**
     * New figures (new session, composition or diff) for every file, and for directories by path where
     * the model has its own aggregate (others show the sum of their children).
     */
    public void setFigures(List<FileFigures> newFiles, Map<String, FileFigures> newDirectories, boolean isDiff) {
        files = List.copyOf(newFiles);
        directories = Map.copyOf(newDirectories);
        diff.set(isDiff);
        rebuild();
    }

    public void clear() {
        files = List.of();
        directories = Map.of();
        diff.set(false);
        root.set(null);
    }

    /** Every file path currently known, for "go to file". */
    public List<String> allFiles() {
        List<String> paths = new ArrayList<>(files.size());
        files.forEach(f -> paths.add(f.path()));
        return paths;
    }

    /** Enter or double-click on a node: files open in an editor; directories do nothing here. */
    public void open(ProjectNode node) {
        if (node != null && node.file()) {
            opener.accept(node.path());
        }
    }

    private void rebuild() {
        List<FileFigures> snapshot = files;
        Map<String, FileFigures> directorySnapshot = directories;
        String text = filter.get();
        boolean onlyCovered = hideUncovered.get();
        tasks.submitLatest(TASK_KEY, "Building the project tree",
                progress -> ProjectTreeBuilder.build(snapshot, directorySnapshot, text, onlyCovered), root::set);
    }
}
