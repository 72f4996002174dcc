package dev.kcovexplorer.app.ui.editor;

import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.util.HashSet;
import java.util.Set;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The editor area: the open tabs, the selected one, and opening, closing, cycling and reloading them.
 * Content is built through {@link BackgroundTasks}; a newer load of the same file cancels an older one.
 */
public final class EditorsViewModel {
    private final BackgroundTasks tasks;
    private final ObservableList<EditorViewModel> editors = FXCollections.observableArrayList();
    private final ObservableList<EditorViewModel> editorsView = FXCollections.unmodifiableObservableList(editors);
    private final ReadOnlyObjectWrapper<EditorViewModel> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private EditorLoader loader;
    // Editors in background tabs whose content predates the loader: rebuilt when selected.
    private final Set<EditorViewModel> stale = new HashSet<>();
    private java.util.function.BiConsumer<String, java.nio.file.Path> locator;

    public EditorsViewModel(BackgroundTasks tasks) {
        this.tasks = tasks;
    }

    public ObservableList<EditorViewModel> editors() {
        return editorsView;
    }

    public ReadOnlyObjectProperty<EditorViewModel> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public EditorViewModel selected() {
        return selected.get();
    }

    /** Opens {@code path} (or selects its tab) and reveals {@code line} once loaded; line 0 = first covered line. */
    public EditorViewModel open(String path, int line) {
        EditorViewModel editor = find(path);
        if (editor == null) {
            editor = new EditorViewModel(path);
            editors.add(editor);
            load(editor);
        }
        choose(editor);
        if (line > 0) {
            editor.goToLine(line);
        }
        return editor;
    }

    public EditorViewModel open(String path) {
        return open(path, 0);
    }

    /** The view reports tab selection by the user here. */
    public void select(EditorViewModel editor) {
        if (editor == null || editors.contains(editor)) {
            choose(editor);
        }
    }

    private void choose(EditorViewModel editor) {
        selected.set(editor);
        if (editor != null && stale.remove(editor)) {
            load(editor);
        }
    }

    public void close(EditorViewModel editor) {
        int index = editors.indexOf(editor);
        if (index < 0) {
            return;
        }
        editors.remove(index);
        stale.remove(editor);
        if (selected.get() == editor) {
            choose(editors.isEmpty() ? null : editors.get(Math.min(index, editors.size() - 1)));
        }
    }

    public void closeAll() {
        editors.clear();
        stale.clear();
        selected.set(null);
    }

    /** Ctrl+Tab / Ctrl+Shift+Tab: the next or previous tab, wrapping around. */
    public void cycle(int direction) {
        if (editors.isEmpty()) {
            return;
        }
        int index = Math.max(0, editors.indexOf(selected.get()));
        choose(editors.get(Math.floorMod(index + direction, editors.size())));
    }

    /**
     * A new session or composition: the selected editor is rebuilt with the new loader (caret kept), the
     * others when they are next selected. Live coverage changes the loader several times a second; ten
     * open tabs must not mean ten documents rebuilt and swapped in each time.
     */
    public void setLoader(EditorLoader newLoader) {
        loader = newLoader;
        for (EditorViewModel editor : editors) {
            if (editor == selected.get()) {
                load(editor);
            } else {
                stale.add(editor);
            }
        }
    }

    /** Where "Locate…" records a file the user picked for a source path the sources lack. */
    public void setLocator(java.util.function.BiConsumer<String, java.nio.file.Path> newLocator) {
        locator = newLocator;
    }

    public boolean canLocate() {
        return locator != null;
    }

    /** "Locate…": shows {@code file} for the editor's path from now on, and reloads the editor. */
    public void locate(EditorViewModel editor, java.nio.file.Path file) {
        if (locator != null && editors.contains(editor)) {
            locator.accept(editor.path(), file);
            load(editor);
        }
    }

    public EditorViewModel find(String path) {
        for (EditorViewModel editor : editors) {
            if (editor.path().equals(path)) {
                return editor;
            }
        }
        return null;
    }

    private void load(EditorViewModel editor) {
        EditorLoader current = loader;
        if (current == null) {
            editor.show(EditorContent.unavailable(editor.path(), "No session is open."));
            return;
        }
        tasks.submitLatest("editor:" + editor.path(), "Opening " + editor.title(),
                progress -> current.load(editor.path(), progress),
                content -> {
                    if (editors.contains(editor) && loader == current) {
                        editor.show(content);
                    }
                },
                error -> editor.show(EditorContent.unavailable(editor.path(),
                        "Cannot show " + editor.path() + ": " + BackgroundTasks.describe(error))));
    }
}
