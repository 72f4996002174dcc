package dev.kcovexplorer.app.ui.task;

import java.util.concurrent.CancellationException;

/** What background work sees of its task: it reports progress and notices cancellation. */
public interface Progress {
    /** A short line for the status bar ("reading hub.c"). */
    void message(String text);

    /** {@code done} of {@code total} units; a negative total means "unknown". */
    void progress(long done, long total);

    boolean isCancelled();

    /** Throws {@link CancellationException} once the user cancelled; call it in loops. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException();
        }
    }

    /** For work run synchronously where nobody watches (tests, CLI reuse of a view-side builder). */
    Progress NONE = new Progress() {
        @Override
        public void message(String text) {
        }

        @Override
        public void progress(long done, long total) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };
}
