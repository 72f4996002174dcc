package dev.kcovexplorer.app.ui.task;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Node;

/**
 * Work put off to a pulse of its own, so that two large changes of the window are not laid out in one frame. Here,
 * not in the window's package, so that the editor and the project tree, which split their first layout over two
 * pulses, use the same one.
 */
public final class AfterPulses {
    private AfterPulses() {
    }

    /** Runs {@code action} on the FX thread after the next pulse's layout and render: its changes go to the one after. */
    public static void afterNext(Runnable action) {
        after(1, action);
    }

    /**
     * Whether {@code node} is in a window that is showing: only there is it laid out pulse by pulse, so only there
     * can a first layout be split over two pulses (off screen it is laid out at once when its window shows).
     */
    public static boolean onScreen(Node node) {
        return node.getScene() != null && node.getScene().getWindow() != null
                && node.getScene().getWindow().isShowing();
    }

    /** Runs {@code action} on the FX thread after the {@code pulses}th pulse from now, its layout and render. */
    public static void after(int pulses, Runnable action) {
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
}
