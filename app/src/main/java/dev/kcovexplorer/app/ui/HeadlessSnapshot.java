package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.ui.snapshot.PngSnapshot;
import java.io.IOException;
import java.util.function.IntConsumer;
import javafx.animation.PauseTransition;
import javafx.scene.Scene;
import javafx.util.Duration;

/**
 * `open --snapshot OUT.png [--view …]`: once loading has finished, shows the requested view, waits for
 * that to finish too, lets layout settle, writes the PNG and exits. Failures print one line and exit 1.
 */
final class HeadlessSnapshot {
    private final MainViewModel model;
    private final MainView view;
    private final Scene scene;
    private final LaunchRequest request;
    private final Runnable shown;
    private final IntConsumer end;

    /**
     * {@code shown} runs once the view has settled, just before the PNG is written; {@code end} ends the run with its
     * exit code.
     */
    HeadlessSnapshot(MainViewModel model, MainView view, Scene scene, LaunchRequest request, Runnable shown,
            IntConsumer end) {
        this.model = model;
        this.view = view;
        this.scene = scene;
        this.request = request;
        this.shown = shown;
        this.end = end;
    }

    void start() {
        model.tasks().whenIdle(() -> {
            if (failed()) {
                return;
            }
            try {
                StartViews.show(StartView.parse(request.view()), model, view);
            } catch (IllegalArgumentException badView) {
                exit(1, badView.getMessage());
                return;
            }
            model.tasks().whenIdle(this::settleThenWrite);
        });
    }

    private void settleThenWrite() {
        if (failed()) {
            return;
        }
        // A few pulses for CSS, layout and the editor's virtual flow to catch up with the last changes.
        PauseTransition settle = new PauseTransition(Duration.millis(400));
        settle.setOnFinished(e -> {
            shown.run();
            try {
                PngSnapshot.write(scene, request.snapshot());
                exit(0, null);
            } catch (IOException ex) {
                exit(1, "cannot write " + request.snapshot() + ": " + ex.getMessage());
            }
        });
        settle.play();
    }

    private boolean failed() {
        String failure = model.tasks().lastFailureProperty().get();
        if (failure != null && !failure.isEmpty()) {
            exit(1, failure);
            return true;
        }
        return false;
    }

    private void exit(int code, String message) {
        if (message != null) {
            System.err.println("kcov-explorer: " + message);
        }
        end.accept(code);
    }
}
