package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.kcov.AtomicFiles;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one decision whether a file written off the FX thread goes in place, taken by whichever comes first: the
 * writing thread once the file is complete ({@link #commit}), or the FX thread on a failure ({@link #refuse}); and
 * whether the file did go in place ({@link #placed}), told on the writing thread right after the rename. A run nobody
 * watches (a hands-free demo, a headless snapshot) that fails while its file is written thus knows, once the write
 * ended, whether the file exists, and says so.
 */
final class FileCommit implements AtomicFiles.Commit {
    private final AtomicReference<Boolean> decided = new AtomicReference<>();
    /** Writing thread, for tests: before the decision, and once the file is in place. */
    private final Runnable committing;
    private final Runnable placing;
    /** The file is in place: read on the FX thread once the write ended. */
    private volatile boolean placed;

    FileCommit() {
        this(() -> { }, () -> { });
    }

    FileCommit(Runnable committing, Runnable placing) {
        this.committing = committing;
        this.placing = placing;
    }

    /** Writing thread: whether the file goes in place (nothing refused it first). */
    @Override
    public boolean commit() {
        committing.run();
        decided.compareAndSet(null, Boolean.TRUE);
        return decided.get();
    }

    /** Writing thread: the file is in place. */
    @Override
    public void placed() {
        placed = true;
        placing.run();
    }

    /** Whether the file went in place. */
    boolean isPlaced() {
        return placed;
    }

    /** FX thread: refuses the file unless it is already going in place. */
    void refuse() {
        decided.compareAndSet(null, Boolean.FALSE);
    }
}
