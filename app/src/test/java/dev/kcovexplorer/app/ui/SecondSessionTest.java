package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static dev.kcovexplorer.app.ui.ShownStages.onFx;

import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import dev.kcovexplorer.testing.Requirements;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening another session in a window lets go of the one it showed: the demo session, opened as the demo opens it
 * (hub.c at hub_event) with a live collection writing its live run, is collected once the same file is opened again
 * in that window. Whatever kept it (a view, a live run, a task, a cache) would keep a whole kernel's coverage per
 * session opened, for as long as the window lives.
 */
class SecondSessionTest {
    @TempDir
    Path config;
    @TempDir
    Path sources;

    private WindowHarness window;
    private AgentServer server;

    @AfterEach
    void close() throws Exception {
        WindowHarness.close(window, server);
    }

    @Test
    void theFirstSessionIsLetGoOfOnceASecondIsOpenedInTheSameWindow() throws Exception {
        WeakReference<Session> first = openTheDemoAndCollectLive();

        openTheDemoAgain(first);

        awaitCollected(first);
    }

    @Test
    void theFirstSessionIsLetGoOfWhenTheLiveCoverageWasResetBeforeTheSecondWasOpened() throws Exception {
        WeakReference<Session> first = openTheDemoAndCollectLive();
        // Nothing received since the reset: the second session gets no write from the live run.
        onFx(() -> {
            window.model.live().reset();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.liveCollector().isEmpty() && window.controller.liveRunsSettled(),
                "the live coverage reset", 60);

        openTheDemoAgain(first);

        awaitCollected(first);
    }

    /** The window on the demo session as the demo opens it (hub.c at hub_event), its live run written. */
    private WeakReference<Session> openTheDemoAndCollectLive() throws Exception {
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        long[] replayed = writeSourcesAndPickLivePcs();
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                new DumpReplaySource("usb", TraceMode.PC, replayed, 1000), line -> { });
        window = WindowHarness.open(config, 1400, 900);
        LaunchRequest request = new LaunchRequest(DEMO, null, sources, List.of(), null, DemoSession.START_VIEW, false);
        window.openThenShowTheStartView(request);
        WeakReference<Session> first = new WeakReference<>(onFx(() -> window.controller.session()));
        collectLiveRun(first, replayed);
        return first;
    }

    /** Opens the demo file again in the window, "Open Without Saving" the live run. */
    private void openTheDemoAgain(WeakReference<Session> first) throws Exception {
        onFx(() -> {
            window.view.openSession(DEMO);
            return null;
        });
        LiveDemoWindow.until(() -> onFx(SecondSessionTest::openQuestion) != null, "the question on opening", 60);
        onFx(() -> {
            ((Button) openQuestion().lookupButton(LiveRunsQuestion.OPEN)).fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.controller.session() != null && window.controller.session() != first.get(),
                "the demo session opened again", 120);
        window.awaitIdle();
    }

    private static void awaitCollected(WeakReference<Session> first) throws Exception {
        LiveDemoWindow.until(() -> {
            System.gc();
            return first.get() == null;
        }, "the first session collected while the window shows the second", 60);
    }

    /** hub.c as placeholder text for the editor; the PCs of the demo's first run, for the agent to replay. */
    private long[] writeSourcesAndPickLivePcs() throws Exception {
        Session demo = SessionFile.read(DEMO);
        PlaceholderSources.write(sources, demo, LiveDemoWindow.HUB);
        return demo.runs().get(0).uniquePcs();
    }

    /** Connects the Live window to the agent and collects until the shown session's live run holds every PC replayed. */
    private void collectLiveRun(WeakReference<Session> shown, long[] replayed) throws Exception {
        LiveDemoWindow.collectFrom(window, server);
        LiveDemoWindow.until(() -> shown.get().run(LiveSessionRun.LABEL)
                .filter(live -> Arrays.equals(live.uniquePcs(), replayed)).isPresent(), "the live run holds every PC", 60);
        LiveDemoWindow.await(window.controller::hasUnsavedLiveRuns, "the live run counted as unsaved", 60);
    }

    private static DialogPane openQuestion() {
        return Window.getWindows().stream().filter(Window::isShowing).map(w -> w.getScene().getRoot())
                .filter(DialogPane.class::isInstance).map(DialogPane.class::cast)
                .filter(pane -> pane.getStyleClass().contains("open-question")).findFirst().orElse(null);
    }
}
