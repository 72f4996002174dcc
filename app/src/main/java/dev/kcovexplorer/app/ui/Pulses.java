package dev.kcovexplorer.app.ui;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/** Work put off to a pulse of its own, so that two large changes of the window are not laid out in one frame. */
final class Pulses {
    private Pulses() {
    }

    /** Runs {@code action} on the FX thread after the next pulse's layout and render: its changes go to the one after. */
    static void afterNext(Runnable action) {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                Platform.runLater(action);
            }
        }.start();
    }
}
