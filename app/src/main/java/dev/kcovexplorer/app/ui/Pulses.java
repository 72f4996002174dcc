package dev.kcovexplorer.app.ui;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/** Work put off to a pulse of its own, so that two large changes of the window are not laid out in one frame. */
final class Pulses {
    private Pulses() {
    }

    /** Runs {@code action} on the FX thread after the next pulse's layout and render: its changes go to the one after. */
    static void afterNext(Runnable action) {
        after(1, action);
    }

    /** Runs {@code action} on the FX thread after the {@code pulses}th pulse from now, its layout and render. */
    static void after(int pulses, Runnable action) {
        new AnimationTimer() {
            private int left = pulses;

            @Override
            public void handle(long now) {
                if (--left <= 0) {
                    stop();
                    Platform.runLater(action);
                }
            }
        }.start();
    }

    /**
     * Off the FX thread: returns once the FX thread has gone through a pulse (after a second at most, as when the
     * toolkit is shutting down), so that what this thread hands over next is laid out in a later one.
     */
    static void awaitNext() throws InterruptedException {
        CountDownLatch passed = new CountDownLatch(1);
        Platform.runLater(() -> afterNext(passed::countDown));
        passed.await(1, TimeUnit.SECONDS);
    }
}
