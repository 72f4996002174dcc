package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.task.AfterPulses;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/** Waiting for a pulse to pass, off the FX thread (work put off to a pulse of its own: {@link AfterPulses}). */
final class Pulses {
    private Pulses() {
    }

    /**
     * Off the FX thread: returns once the FX thread has gone through a pulse (after a second at most, as when the
     * toolkit is shutting down), so that what this thread hands over next is laid out in a later one.
     */
    static void awaitNext() throws InterruptedException {
        CountDownLatch passed = new CountDownLatch(1);
        Platform.runLater(() -> AfterPulses.afterNext(passed::countDown));
        passed.await(1, TimeUnit.SECONDS);
    }
}
