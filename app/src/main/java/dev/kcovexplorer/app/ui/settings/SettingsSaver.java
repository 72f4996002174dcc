package dev.kcovexplorer.app.ui.settings;

import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Saves the window settings through {@link BackgroundTasks}, so the UI thread never waits on the disk. Every
 * change asks for a write of the newest settings; writes run one at a time and each writes whatever is newest
 * when it runs (or nothing, when that is already on disk), so the file ends with the last change whichever
 * worker runs first, and a burst of changes costs one or two writes. {@link #flush} is for the quit: the
 * background work is about to be stopped, and the last change must still reach the disk.
 */
public final class SettingsSaver {
    private final SettingsStore store;
    private final BackgroundTasks tasks;
    private final Consumer<String> onFailure;
    /** Held while writing: one write at a time, in the order of the versions they write. */
    private final Object writing = new Object();
    private UiSettings newest;
    private long newestVersion;
    private long writtenVersion;

    /** @param onFailure called on the UI thread with one line naming the file and what went wrong */
    public SettingsSaver(SettingsStore store, BackgroundTasks tasks, Consumer<String> onFailure) {
        this.store = store;
        this.tasks = tasks;
        this.onFailure = onFailure;
    }

    /** Writes {@code settings} soon, off the UI thread. */
    public void save(UiSettings settings) {
        synchronized (this) {
            newest = settings;
            newestVersion++;
        }
        tasks.submit("Saving window settings", progress -> {
            writeNewest();
            return null;
        }, nothing -> { }, error -> onFailure.accept(describe(error)));
    }

    /** Writes the newest settings now unless they are on disk already, waiting for a write under way. */
    public void flush() throws IOException {
        writeNewest();
    }

    private void writeNewest() throws IOException {
        synchronized (writing) {
            UiSettings settings;
            long version;
            synchronized (this) {
                settings = newest;
                version = newestVersion;
            }
            if (version == writtenVersion) {
                return;
            }
            store.save(settings);
            writtenVersion = version;
        }
    }

    /** "cannot save window settings to FILE: why". */
    public String describe(Throwable error) {
        return "cannot save window settings to " + store.file() + ": " + BackgroundTasks.describe(error);
    }
}
