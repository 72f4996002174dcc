package dev.kcovexplorer.app.ui;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The one decision whether a file written off the FX thread goes in place, taken by whichever comes first: the
 * writing thread once the file is complete ({@link #commit}), or the FX thread on a failure ({@link #refuse}). A run
 * nobody watches (a hands-free demo, a headless snapshot) that fails while its file is written thus knows, once the
 * write ended, whether the file exists, and says so.
 */
final class FileCommit {
    private final AtomicReference<Boolean> decided = new AtomicReference<>();

    /** Writing thread: whether the file goes in place (nothing refused it first). */
    boolean commit() {
        decided.compareAndSet(null, Boolean.TRUE);
        return decided.get();
    }

    /** FX thread: refuses the file unless it is already going in place. */
    void refuse() {
        decided.compareAndSet(null, Boolean.FALSE);
    }
}
