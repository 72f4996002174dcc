package dev.kcovexplorer.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's warning line and the tasks' failures. The UI thread is this test's thread draining a queue
 * ({@link QueuedUiThread}).
 */
class WarningLineTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final QueuedMainModel window = new QueuedMainModel();

    /**
     * A failure worded as the one before is shown too: the same run added twice, with another warning between. The
     * line followed the last failure's changes, and the second failure changed nothing: the line went on saying the
     * other warning, and the user heard nothing of the second run.
     */
    @Test
    void aFailureWordedAsTheOneBeforeIsShownAgain() throws Exception {
        MainViewModel model = window.open(dir.resolve("config"));
        String failure = "Adding a run: run 'keyboard' is already loaded";

        failAddingARun();
        window.ui.drainUntil(() -> model.warningProperty().get().equals(failure));
        model.setWarning("'x' is not a line number");
        failAddingARun();
        window.ui.drainUntilIdle(window.tasks);

        assertThat(model.warningProperty().get()).isEqualTo(failure);
    }

    private void failAddingARun() {
        window.tasks.submit("Adding a run", progress -> {
            throw new IOException("run 'keyboard' is already loaded");
        }, run -> { });
    }
}
