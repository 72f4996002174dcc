package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.kcov.Printable;
import java.util.function.Consumer;

/**
 * Ends a run nobody watches (a headless snapshot, a hands-free demo) when the FX thread throws. JavaFX hands what an
 * event, a pulse or a listener throws to the thread's uncaught-exception handler, which printed it, and goes on: when
 * the run's next step was in the event that threw, the process waited for ever (`open … --snapshot /` threw in the
 * PNG's write); otherwise the run went on and wrote a picture of a window part of which had failed to update.
 */
final class UnattendedFailure implements Thread.UncaughtExceptionHandler {
    private Consumer<String> end;
    private boolean ended;

    private UnattendedFailure(Consumer<String> end) {
        this.end = end;
    }

    /** Installs the handler on this thread, the FX thread; {@code end} ends the run until {@link #endWith}. */
    static UnattendedFailure installHere(Consumer<String> end) {
        UnattendedFailure handler = new UnattendedFailure(end);
        Thread.currentThread().setUncaughtExceptionHandler(handler);
        return handler;
    }

    /** From now on the run's own ending, which also keeps its files unwritten (and powers a demo's guest off). */
    void endWith(Consumer<String> runEnd) {
        end = runEnd;
    }

    @Override
    public void uncaughtException(Thread thread, Throwable failure) {
        // Once: a pulse that throws throws again at every pulse until the toolkit has stopped.
        if (!ended) {
            ended = true;
            end.accept("the window failed: " + Printable.of(String.valueOf(failure)));
        }
    }
}
