package dev.kcovexplorer.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's warning line and the tasks' failures. The UI thread is this test's thread draining a queue, as in
 * {@link SettingsSavingTest}.
 */
class WarningLineTest {
    @TempDir
    Path dir;

    private final BlockingQueue<Runnable> uiQueue = new LinkedBlockingQueue<>();
    private final BackgroundTasks tasks = new BackgroundTasks(uiQueue::add, 2);
    private MainViewModel model;

    @AfterEach
    void stop() {
        if (model != null) {
            model.close();
        }
        tasks.close();
    }

    /**
     * A failure worded as the one before is shown too: the same run added twice, with another warning between. The
     * line followed the last failure's changes, and the second failure changed nothing: the line went on saying the
     * other warning, and the user heard nothing of the second run.
     */
    @Test
    void aFailureWordedAsTheOneBeforeIsShownAgain() throws Exception {
        model = new MainViewModel(tasks, new SettingsStore(dir.resolve("config")));
        String failure = "Adding a run: run 'keyboard' is already loaded";

        failAddingARun();
        drainUntil(() -> model.warningProperty().get().equals(failure));
        model.setWarning("'x' is not a line number");
        failAddingARun();
        boolean[] idle = new boolean[1];
        tasks.whenIdle(() -> idle[0] = true);
        drainUntil(() -> idle[0]);

        assertThat(model.warningProperty().get()).isEqualTo(failure);
    }

    private void failAddingARun() {
        tasks.submit("Adding a run", progress -> {
            throw new IOException("run 'keyboard' is already loaded");
        }, run -> { });
    }

    private void drainUntil(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Runnable event = uiQueue.poll(1, TimeUnit.MINUTES);
            assertThat(event).as("a UI event while waiting").isNotNull();
            event.run();
        }
    }
}
