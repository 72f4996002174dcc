package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * Quitting the real window (Ctrl+Q, or closing it), or opening another session in it, while the session holds
 * live coverage that no file holds: the window asks first, Cancel keeps it as it is, "Quit Without Saving"
 * closes it, "Open Without Saving" opens the other; once saved, or without live runs, it goes ahead at once.
 * The status bar says when the live run is being updated.
 */
class QuitWithLiveRunsTest {
    @TempDir
    Path config;
    @TempDir
    Path work;

    private final FxRobot robot = new FxRobot();
    private WindowHarness window;
    private AgentServer server;
    private Session session;

    @BeforeEach
    void windowOnTheFixtureSession() throws Exception {
        FixtureSession.requireTools();
        FixtureSession fixture = FixtureSession.get();
        session = fixture.newSession();
        long[] trace = DumpReader.read(fixture.extendedDump).trace();
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                new DumpReplaySource("extended", TraceMode.PC, trace, 3), line -> { });
        window = WindowHarness.open(config, 1000, 700);
        window.show(session, KernelSources.NONE, "fixture");
    }

    @AfterEach
    void close() throws Exception {
        WindowHarness.close(window, server);
    }

    @Test
    void withoutLiveRunsCtrlQQuitsAtOnce() throws Exception {
        pressCtrlQ();

        LiveDemoWindow.until(() -> !onFx(window.stage::isShowing), "the window closed", 60);
        assertThat(onFx(() -> question())).isEmpty();
    }

    @Test
    void ctrlQAndClosingAskFirstWhileLiveRunsAreUnsaved() throws Exception {
        collectLiveRun();

        pressCtrlQ();
        LiveDemoWindow.until(() -> onFx(() -> question()).isPresent(), "the question", 60);
        assertThat(onFx(window.stage::isShowing)).as("the window, while asking").isTrue();
        answer(ButtonType.CANCEL);
        LiveDemoWindow.until(() -> onFx(() -> question()).isEmpty(), "the question gone", 60);
        assertThat(onFx(window.stage::isShowing)).as("the window, after Cancel").isTrue();

        onFx(() -> {
            window.stage.fireEvent(new WindowEvent(window.stage, WindowEvent.WINDOW_CLOSE_REQUEST));
            return null;
        });
        LiveDemoWindow.until(() -> onFx(() -> question()).isPresent(), "the question on closing", 60);
        assertThat(onFx(window.stage::isShowing)).as("the window, while asking").isTrue();
        answer(LiveRunsQuestion.QUIT);
        LiveDemoWindow.until(() -> !onFx(window.stage::isShowing), "the window closed", 60);
    }

    @Test
    void openingAnotherSessionAsksFirstWhileLiveRunsAreUnsavedAndTheStatusBarFollowsTheLiveRun() throws Exception {
        Path other = work.resolve("other.kcovx");
        onFx(() -> {
            window.controller.save(other);
            return null;
        });
        LiveDemoWindow.await(() -> Files.exists(other) && !window.controller.hasUnsavedLiveRuns(), "other.kcovx saved", 120);
        List<String> liveStatus = new CopyOnWriteArrayList<>();
        onFx(() -> {
            ((Label) window.scene.lookup(".status-live")).textProperty().addListener((obs, old, text) -> liveStatus.add(text));
            return null;
        });

        collectLiveRun();
        LiveDemoWindow.until(() -> onFx(() -> ((Label) window.scene.lookup(".status-live")).getText())
                .startsWith("Live run updated at "), "the status bar saying the live run is up to date", 60);
        assertThat(liveStatus).as("what the status bar said while the live run was written")
                .contains("Updating the live run\u2026");

        Session shown = onFx(() -> window.controller.session());
        onFx(() -> {
            window.view.openSession(other);
            return null;
        });
        LiveDemoWindow.until(() -> onFx(() -> question("open-question")).isPresent(), "the question", 60);
        answer("open-question", ButtonType.CANCEL);
        LiveDemoWindow.until(() -> onFx(() -> question("open-question")).isEmpty(), "the question gone", 60);
        window.awaitIdle();
        Session afterCancel = onFx(() -> window.controller.session());
        assertThat(afterCancel).as("the session, after Cancel").isSameAs(shown);
        assertThat(onFx(() -> window.controller.hasUnsavedLiveRuns())).isTrue();

        onFx(() -> {
            window.view.openSession(other);
            return null;
        });
        LiveDemoWindow.until(() -> onFx(() -> question("open-question")).isPresent(), "the question again", 60);
        answer("open-question", LiveRunsQuestion.OPEN);
        LiveDemoWindow.until(() -> onFx(() -> window.controller.session()) != shown, "other.kcovx opened", 120);
    }

    @Test
    void onceSavedCtrlQQuitsAtOnce() throws Exception {
        collectLiveRun();
        Path saved = work.resolve("with-live.kcovx");
        onFx(() -> {
            window.controller.save(saved);
            return null;
        });
        LiveDemoWindow.await(() -> !window.controller.hasUnsavedLiveRuns(), "the session saved", 120);
        assertThat(saved).exists();

        pressCtrlQ();

        LiveDemoWindow.until(() -> !onFx(window.stage::isShowing), "the window closed", 60);
        assertThat(onFx(() -> question())).isEmpty();
    }

    /** Connects and starts through the view model; waits until the live run holds every PC of the replay. */
    private void collectLiveRun() throws Exception {
        long[] everyPc = LongStream.of(DumpReader.read(FixtureSession.get().extendedDump).trace()).distinct().sorted()
                .toArray();
        LiveDemoWindow.collectFrom(window, server);
        LiveDemoWindow.until(() -> session.run(LiveSessionRun.LABEL)
                .filter(run -> Arrays.equals(run.uniquePcs(), everyPc)).isPresent(), "the live run holds every PC", 60);
        LiveDemoWindow.await(window.controller::hasUnsavedLiveRuns, "the live run counted as unsaved", 60);
    }

    private void pressCtrlQ() throws Exception {
        onFx(() -> {
            window.stage.toFront();
            window.view.tabs().requestFocus();
            return null;
        });
        robot.press(KeyCode.CONTROL, KeyCode.Q).release(KeyCode.Q, KeyCode.CONTROL);
    }

    private static Optional<DialogPane> question() {
        return question("quit-question");
    }

    private static Optional<DialogPane> question(String styleClass) {
        return Window.getWindows().stream().filter(Window::isShowing).map(w -> w.getScene().getRoot())
                .filter(DialogPane.class::isInstance).map(DialogPane.class::cast)
                .filter(pane -> pane.getStyleClass().contains(styleClass)).findFirst();
    }

    private static void answer(ButtonType button) throws Exception {
        answer("quit-question", button);
    }

    private static void answer(String styleClass, ButtonType button) throws Exception {
        onFx(() -> {
            ((Button) question(styleClass).orElseThrow().lookupButton(button)).fire();
            return null;
        });
    }
}
