package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.Main;
import dev.kcovexplorer.app.demo.DemoState;
import java.util.concurrent.CountDownLatch;

/**
 * kcov-explorer's {@link Main} with the window kept busy from the moment the demo VM runs until the window closes: one
 * task that waits for the close's interrupt, as a loaded machine's sources unpacking or a stream of live updates keep a
 * window busy for minutes. For the tests of hands-free demos, which run it in a JVM of its own.
 */
public final class BusyOnceTheDemoRuns {
    private BusyOnceTheDemoRuns() {
    }

    public static void main(String[] args) {
        ExplorerApp.modelMadeForTests = model -> model.demo().stateProperty().addListener((obs, old, state) -> {
            if (state == DemoState.RUNNING) {
                model.tasks().submitUnwaited("Busy until the window closes", progress -> {
                    new CountDownLatch(1).await();
                    return null;
                }, nothing -> { });
            }
        });
        Main.main(args);
    }
}
