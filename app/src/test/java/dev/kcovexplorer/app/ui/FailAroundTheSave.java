package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * kcov-explorer's {@link Main} with a failure around a hands-free demo's save of its session, for the tests of those
 * demos, which run it in a JVM of its own: {@code FailAroundTheSave WHEN ARGS…}. WHEN is {@code saving} (a task, submitted
 * as the window shows the save under way, fails on the other worker while the session, tens of megabytes deflated, is
 * still being written) or {@code saved} (the FX thread throws as the save's task stops being shown: in the event that
 * handled the save's result, after the demo decided its exit there).
 */
public final class FailAroundTheSave {
    private FailAroundTheSave() {
    }

    public static void main(String[] args) {
        AtomicBoolean failed = new AtomicBoolean();
        // The save's task by its title (the window saves its settings under a title of the same start).
        String saving = "Saving " + Path.of(args[Arrays.asList(args).indexOf("--save-session") + 1]).getFileName();
        ExplorerApp.modelMadeForTests = switch (args[0]) {
            case "saving" -> model -> model.tasks().messageProperty().addListener((obs, old, message) -> {
                if (message.startsWith(saving) && failed.compareAndSet(false, true)) {
                    fail(model, "failed while the session was saved");
                }
            });
            case "saved" -> model -> model.tasks().messageProperty().addListener((obs, old, message) -> {
                if (old.startsWith(saving) && !message.startsWith(saving) && failed.compareAndSet(false, true)) {
                    throw new IllegalStateException("thrown once the session was saved");
                }
            });
            default -> throw new IllegalArgumentException("when: saving or saved, not " + args[0]);
        };
        Main.main(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void fail(MainViewModel model, String why) {
        model.tasks().submit("Failing", progress -> {
            throw new IOException(why);
        }, nothing -> { });
    }
}
