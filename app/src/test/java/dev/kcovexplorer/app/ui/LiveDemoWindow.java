package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;

import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.ui.live.CollectionForm;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;

/**
 * The real window on the demo session, set up to watch live coverage arrive: hub.c at its real length
 * (placeholder text: painting needs the line count, not the C), the recorded runs hidden so only the live
 * run counts, hub.c open, the Live tab in front. For the Live window's tests.
 */
final class LiveDemoWindow {
    static final String HUB = "drivers/usb/core/hub.c";

    private LiveDemoWindow() {
    }

    static WindowHarness open(Path config, Path sources, Session session, double width, double height) throws Exception {
        return open(config, sources, session, width, height, null);
    }

    /** As above, with the Demo VM tool window on {@code demoVm} (null: the default one). */
    static WindowHarness open(Path config, Path sources, Session session, double width, double height, DemoVm demoVm)
            throws Exception {
        WindowHarness window = openWithTheLiveWindowBehind(config, sources, session, width, height, demoVm);
        onFx(() -> {
            window.view.showLive();
            return null;
        });
        window.awaitIdle();
        return window;
    }

    /** As above, the Live window not chosen yet (it is made when first chosen). */
    static WindowHarness openWithTheLiveWindowBehind(Path config, Path sources, Session session, double width,
            double height, DemoVm demoVm) throws Exception {
        WindowHarness window = WindowHarness.open(config, width, height, demoVm);
        PlaceholderSources.write(sources, session, HUB);
        window.show(session, new DirectorySources(sources, Map.of()), "demo.kcovx");
        onFx(() -> {
            window.model.runs().runs().forEach(run -> run.visibleProperty().set(false));
            window.model.editors().open(HUB);
            return null;
        });
        window.awaitIdle();
        return window;
    }

    /** The Live window's button showing {@code text}. */
    static Button button(WindowHarness window, String text) {
        return window.view.liveView().lookupAll(".button").stream().filter(Button.class::isInstance)
                .map(Button.class::cast).filter(b -> text.equals(b.getText())).findFirst().orElseThrow(
                        () -> new AssertionError("no button '" + text + "' in the Live window"));
    }

    /**
     * Connects the window's Live window to {@code server} and, once connected, collects PCs of CPU 1 into the shown
     * session's live run, as a user's Connect and Start do.
     */
    static void collectFrom(WindowHarness window, AgentServer server) throws Exception {
        onFx(() -> {
            window.model.live().connect("127.0.0.1:" + server.address().getPort(), "");
            return null;
        });
        await(() -> window.model.live().stateProperty().get() == LiveState.CONNECTED, "connected", 60);
        onFx(() -> {
            window.model.live().start(new CollectionForm(TraceMode.PC, "1", "", "1M", false, true));
            return null;
        });
    }

    /** Polls {@code condition} on the FX thread until it holds. */
    static void await(Callable<Boolean> condition, String what, int seconds) throws Exception {
        until(() -> onFx(condition), what, seconds);
    }

    /** Polls {@code condition} on the calling thread until it holds. */
    static void until(Callable<Boolean> condition, String what, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + seconds + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until the session's live run holds exactly what {@code recorded} holds: its PCs and their hits. */
    static void awaitLiveRun(Session session, CoverageRun recorded, int seconds) throws Exception {
        until(() -> session.run(LiveSessionRun.LABEL).filter(live -> Arrays.equals(live.uniquePcs(), recorded.uniquePcs())
                && Arrays.equals(live.hitCounts(), recorded.hitCounts())).isPresent(),
                "the live run holds every PC of the capture, each as often", seconds);
    }
}
