package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.live.CollectionForm;
import dev.kcovexplorer.app.ui.live.LiveViewModel;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live run of the session on a machine busy with something else: the window's controller and view
 * models, headless, on the demo session, collecting a real remote capture of the demo kernel from an agent
 * on loopback while threads of this test keep every core busy. Start, Reset and a second Start must leave
 * exactly one live run, and it must converge to everything received each time (every PC, then none, then
 * every PC again): coverage updates arrive faster than a loaded machine attributes them.
 */
class LiveRunUnderLoadTest {
    private static final Path CAPTURE = Path.of("..", "kcov", "src", "test", "resources", "dev", "kcovexplorer", "kcov",
            "agent", "usb-kbd-hotplug.kcov.gz");
    /**
     * Entries per 100 ms drain: 107 batches per pass of the capture, one every drain while this test's
     * threads keep every core busy; LiveWindowTest's pace, at which live runs once multiplied.
     */
    private static final int PER_DRAIN = 5_000;

    @TempDir
    Path settings;

    private final ExecutorService ui = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-ui"));
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private BackgroundTasks tasks;
    private MainViewModel model;
    private AgentServer server;

    @AfterEach
    void stopEverything() throws Exception {
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        if (model != null) {
            onUi(() -> {
                model.close();
                return null;
            });
        }
        if (server != null) {
            server.close();
        }
        ui.shutdownNow();
    }

    @BeforeEach
    void busyMachine() {
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            daemon("load-" + i, () -> {
                long x = 1;
                while (running.get()) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
                return x;
            });
        }
    }

    @Test
    void startResetAndRestartKeepOneLiveRunHoldingWhatWasReceived() throws Exception {
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        Session session = SessionFile.read(DEMO);
        long[] trace = DumpReader.read(CAPTURE).trace();
        long[] everyPc = LongStream.of(trace).distinct().sorted().toArray();
        Set<String> recorded = labels(session);
        DumpReplaySource replay = new DumpReplaySource("usb-kbd-hotplug", TraceMode.PC, trace, PER_DRAIN);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, replay, line -> { });

        tasks = new BackgroundTasks(ui, 2);
        model = new MainViewModel(tasks, new SettingsStore(settings));
        SessionController controller = onUi(() -> new SessionController(model));
        onUi(() -> {
            controller.show(session, KernelSources.NONE, "demo.kcovx");
            return null;
        });
        LiveViewModel live = model.live();
        Set<String> liveLabels = new ConcurrentSkipListSet<>();
        daemon("run-watch", () -> {
            while (running.get()) {
                Set<String> added = labels(session);
                added.removeAll(recorded);
                liveLabels.addAll(added);
                Thread.sleep(2);
            }
            return null;
        });

        onUi(() -> {
            live.connect("127.0.0.1:" + server.address().getPort(), "");
            return null;
        });
        await(() -> onUi(() -> live.stateProperty().get() == LiveState.CONNECTED), "connected");
        CollectionForm form = new CollectionForm(TraceMode.PC, "1", "", "1M", false, true);

        onUi(() -> {
            live.start(form);
            return null;
        });
        awaitLiveRun(session, everyPc, liveLabels, "the live run holds every PC of the capture");
        // Every PC is in after half the capture; the repeats that follow are new coverage once the agent reset, so the
        // live run is empty after Reset, for good, only once the whole capture was received.
        await(() -> replay.exhausted() && session.run(LiveSessionRun.LABEL)
                .filter(run -> IntStream.of(run.hitCounts()).asLongStream().sum() == trace.length).isPresent(),
                "the live run holds the whole capture");

        onUi(() -> {
            live.reset();
            return null;
        });
        awaitLiveRun(session, new long[0], liveLabels, "the live run is empty after Reset");

        onUi(() -> {
            live.stop();
            return null;
        });
        await(() -> onUi(() -> live.stateProperty().get() == LiveState.CONNECTED), "stopped");
        onUi(() -> {
            live.start(form);
            return null;
        });
        awaitLiveRun(session, everyPc, liveLabels, "the live run holds every PC again after a second Start");

        Set<String> expected = new TreeSet<>(recorded);
        expected.add(LiveSessionRun.LABEL);
        assertThat(labels(session)).as("the session's runs: the recorded ones and one live run").isEqualTo(expected);
        assertThat(liveLabels).as("every label a live run ever had").containsExactly(LiveSessionRun.LABEL);
    }

    /** Waits until the live run holds exactly {@code pcs}, failing as soon as a second live run appears. */
    private static void awaitLiveRun(Session session, long[] pcs, Set<String> liveLabels, String what) throws Exception {
        await(() -> {
            assertThat(liveLabels).as("every label a live run had so far").isSubsetOf(LiveSessionRun.LABEL);
            Optional<SessionRun> live = session.run(LiveSessionRun.LABEL);
            return live.isPresent() && Arrays.equals(live.get().uniquePcs(), pcs);
        }, what);
    }

    private static Set<String> labels(Session session) {
        Set<String> labels = new TreeSet<>();
        session.runs().forEach(run -> labels.add(run.label()));
        return labels;
    }

    private void daemon(String name, Callable<?> body) {
        Thread thread = new Thread(() -> {
            try {
                body.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private <T> T onUi(Callable<T> action) throws Exception {
        return ui.submit(action).get(Patience.SECONDS, TimeUnit.SECONDS);
    }

    private static void await(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 120 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
