package dev.kcovexplorer.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.testing.Patience;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session side of live coverage, headless: a session saved while the live run changes under it opens
 * again.
 */
class LiveRunUpdatesTest {
    @TempDir
    Path dir;

    private final ExecutorService ui = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-ui"));
    private BackgroundTasks tasks;
    private MainViewModel model;
    private SessionController controller;
    private Session session;
    private RunInput coverage;

    @BeforeEach
    void sessionWithAController() throws Exception {
        FixtureSession.requireTools();
        FixtureSession fixture = FixtureSession.get();
        session = fixture.newSession();
        coverage = RunInput.of("live", DumpReader.read(fixture.extendedDump), null);
        tasks = new BackgroundTasks(ui, 2);
        model = new MainViewModel(tasks, new SettingsStore(dir));
        controller = onUi(() -> new SessionController(model));
        onUi(() -> {
            controller.show(session, KernelSources.NONE, "fixture");
            return null;
        });
    }

    @AfterEach
    void close() throws Exception {
        if (model != null) {
            // As the window does: left open, the demo VM's live collections kept ticking and held the session.
            onUi(() -> {
                model.close();
                return null;
            });
        }
        if (tasks != null) {
            tasks.close();
        }
        ui.shutdownNow();
    }

    @Test
    void aSessionSavedWhileTheLiveRunChangesOpensAgain() throws Exception {
        session.addRun(coverage);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread updates = new Thread(() -> {
            boolean full = false;
            while (running.get()) {
                session.replaceRunData("live", full ? coverage : empty("live"));
                full = !full;
            }
        });
        updates.start();
        try {
            for (int i = 0; i < 30; i++) {
                Path file = dir.resolve("saved-" + i + ".kcovx");
                SessionFile.write(session, file);
                Session reread = SessionFile.read(file);
                SessionRun live = reread.run("live").orElseThrow();
                assertThat(live.uniquePcCount()).isIn(0, coverage.uniquePcs().length);
            }
        } finally {
            running.set(false);
            updates.join();
        }
    }

    private static RunInput empty(String label) {
        return new RunInput(label, null, null, "pc", null, 0, false, new long[0], new int[0], PcKind.RETURN_ADDRESS);
    }

    private <T> T onUi(Callable<T> action) throws Exception {
        return ui.submit(action).get(Patience.SECONDS, TimeUnit.SECONDS);
    }
}
