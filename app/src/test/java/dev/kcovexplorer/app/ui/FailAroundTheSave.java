package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.Main;
import dev.kcovexplorer.app.ui.task.TaskHandle;
import dev.kcovexplorer.testing.Patience;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;

/**
 * kcov-explorer's {@link Main} with a failure around a hands-free demo's save of its session, for the tests of those
 * demos, which run it in a JVM of its own: {@code FailAroundTheSave WHEN ARGS…}. WHEN is
 * <ul>
 * <li>{@code saving}: a task fails, its failure handed to the window, while the saving thread holds the complete file
 * just before the demo decides whether it goes in place;</li>
 * <li>{@code placed}: the same, once the file is in place, before the save's result reaches the window;</li>
 * <li>{@code after-placed}: the save itself fails once its file is in place (as anything between the rename and the
 * demo's word on it may);</li>
 * <li>{@code saved}: the FX thread throws in the event that handled the save's result (the save's task finished, its
 * file in place), after the demo decided its exit there.</li>
 * </ul>
 * Each order is made by the saving thread waiting for the failure, or by the save's own task, never by timing. The
 * failure is announced on standard error ("FailAroundTheSave: ..."), so a test can tell it happened.
 */
public final class FailAroundTheSave {
    private FailAroundTheSave() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args[Arrays.asList(args).indexOf("--save-session") + 1]);
        AtomicReference<MainViewModel> made = new AtomicReference<>();
        ExplorerApp.modelMadeForTests = made::set;
        switch (args[0]) {
            case "saving" -> DemoLoop.committingForTests =
                    () -> failAndAwait(made.get(), "failed while the session was saved");
            case "placed" -> DemoLoop.placedForTests =
                    () -> failAndAwait(made.get(), "failed once the session was in place");
            case "after-placed" -> DemoLoop.placedForTests = () -> {
                System.err.println("FailAroundTheSave: the save fails once its file is in place");
                throw new IllegalStateException("failed once the session was in place");
            };
            case "saved" -> DemoLoop.saveSubmittedForTests = save -> throwOnceSaved(made.get(), save, target);
            default -> throw new IllegalArgumentException(
                    "when: saving, placed, after-placed or saved, not " + args[0]);
        }
        Main.main(Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * Saving thread: a task fails, and the save goes on only once its failure reached the window (the demo's listener
     * of failures registered before this one, so it has heard it too).
     */
    private static void failAndAwait(MainViewModel model, String why) {
        CountDownLatch delivered = new CountDownLatch(1);
        Platform.runLater(() -> {
            model.tasks().failuresProperty().addListener((obs, old, count) -> delivered.countDown());
            System.err.println("FailAroundTheSave: " + why);
            model.tasks().submit("Failing", progress -> {
                throw new IOException(why);
            }, nothing -> { });
        });
        try {
            if (!delivered.await(Patience.SECONDS, TimeUnit.SECONDS)) {
                System.err.println("FailAroundTheSave: the failure did not reach the window in " + Patience.SECONDS
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The status line changes in the event that finished a task, after its result was handled: the first change once
     * the save's task finished, its file in place, is in that event.
     */
    private static void throwOnceSaved(MainViewModel model, TaskHandle<Path> save, Path target) {
        AtomicBoolean thrown = new AtomicBoolean();
        model.tasks().messageProperty().addListener((obs, old, message) -> {
            if (save.isFinished() && Files.exists(target) && thrown.compareAndSet(false, true)) {
                System.err.println("FailAroundTheSave: thrown once the session was saved");
                throw new IllegalStateException("thrown once the session was saved");
            }
        });
    }
}
