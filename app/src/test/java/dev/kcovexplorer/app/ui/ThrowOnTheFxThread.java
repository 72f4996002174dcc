package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.Main;
import dev.kcovexplorer.app.demo.DemoState;
import java.util.Arrays;

/**
 * kcov-explorer's {@link Main} with one throw on the FX thread, as a bug in a view or a callback makes one, for the
 * tests of runs nobody watches (a headless snapshot, a hands-free demo), which run it in a JVM of its own: {@code
 * ThrowOnTheFxThread WHEN ARGS…}. WHEN is {@code task} (a task's result handler throws an OutOfMemoryError while the
 * session loads) or {@code demo-running} (a listener of the demo's state throws once the demo VM runs).
 */
public final class ThrowOnTheFxThread {
    private ThrowOnTheFxThread() {
    }

    public static void main(String[] args) {
        ExplorerApp.modelMadeForTests = switch (args[0]) {
            case "task" -> model -> model.tasks().submit("Thrown", progress -> null, nothing -> {
                throw new OutOfMemoryError("thrown by a task's result handler");
            });
            case "demo-running" -> model -> model.demo().stateProperty().addListener((obs, old, state) -> {
                if (state == DemoState.RUNNING) {
                    throw new IllegalStateException("thrown by a listener of the demo's state");
                }
            });
            default -> throw new IllegalArgumentException("when: task or demo-running, not " + args[0]);
        };
        Main.main(Arrays.copyOfRange(args, 1, args.length));
    }
}
