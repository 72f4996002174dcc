package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.model.Aggregate;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.runs.RunItem;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.ui.tree.ProjectNode;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.CoverageSource;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import dev.kcovexplorer.kcov.agent.Message;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import dev.kcovexplorer.testing.Requirements;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Live tool window end to end, in the real window on the demo session: an agent on loopback replays a
 * real remote capture of the demo kernel (hub_event while a USB keyboard was hot-plugged into the guest's
 * xHCI bus), the window connects and starts through its own controls, and hub.c lights up in an open editor
 * while the tree's figures rise. Measures how often the editor and the tree were repainted and the worst
 * FX-thread stall, then checks the painted lines against the model, freezes the live run, saves the
 * session, and survives the agent going away.
 */
class LiveWindowTest {
    private static final Path CAPTURE = Path.of("..", "kcov", "src", "test", "resources", "dev", "kcovexplorer", "kcov",
            "agent", "usb-kbd-hotplug.kcov.gz");
    private static final String HUB = LiveDemoWindow.HUB;
    /** Entries per 100 ms drain: the 534k-PC capture streams over about 11 s, like a slow hot-plug. */
    private static final int PER_DRAIN = 5_000;

    @TempDir
    Path config;
    @TempDir
    Path work;

    private WindowHarness window;
    private AgentServer server;

    @AfterEach
    void close() throws Exception {
        WindowHarness.close(window, server);
    }

    /**
     * The Live tool window is made when first chosen: a live run collected while it was never chosen (connected and
     * started through the model, as the Demo VM's sessions are) is what it shows once it is, its figures, not an empty
     * form.
     */
    @Test
    void theLiveWindowChosenAfterCoverageArrivedShowsWhatArrived() throws Exception {
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        Session session = SessionFile.read(DEMO);
        CoverageRun recorded = DumpReader.read(CAPTURE);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                new DumpReplaySource("usb-kbd-hotplug", TraceMode.PC, recorded.trace(), PER_DRAIN), line -> { });
        window = LiveDemoWindow.openWithTheLiveWindowBehind(config, work.resolve("sources"), session, 1500, 940, null);
        javafx.scene.control.Tab tab = onFx(window.view::liveTab);
        assertThat(onFx(tab::getContent)).as("the Live window before it is chosen").isNull();

        LiveDemoWindow.collectFrom(window, server);
        LiveDemoWindow.awaitLiveRun(session, recorded, 120);
        assertThat(onFx(tab::getContent)).as("the Live window, still not chosen").isNull();

        onFx(() -> {
            window.view.showLive();
            return null;
        });
        LiveDemoWindow.await(() -> tab.getContent() != null, "the Live window's view in its tab", 30);
        assertThat(onFx(tab::getContent)).isSameAs(onFx(window.view::liveView));
        assertThat(onFx(() -> ((Label) window.view.liveView().lookup(".live-figures")).getText()))
                .as("the figures of what arrived").startsWith(String.format(java.util.Locale.ROOT, "%,d PCs",
                        recorded.trace().length));
    }

    @Test
    void hubCLightsUpAsLiveCoverageArrivesAndTheLiveRunFreezesAndSaves() throws Exception {
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        Session session = SessionFile.read(DEMO);
        long[] trace = DumpReader.read(CAPTURE).trace();
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                new DumpReplaySource("usb-kbd-hotplug", TraceMode.PC, trace, PER_DRAIN), line -> { });

        window = LiveDemoWindow.open(config, work.resolve("sources"), session, 1500, 940);
        EditorViewModel hub = onFx(() -> window.model.editors().find(HUB));
        AtomicInteger editorRepaints = new AtomicInteger();
        AtomicInteger treeRepaints = new AtomicInteger();
        List<Integer> hubCoveredLines = new ArrayList<>();
        onFx(() -> {
            hub.contentProperty().addListener((obs, old, content) -> editorRepaints.incrementAndGet());
            window.model.project().rootProperty().addListener((obs, old, root) -> {
                treeRepaints.incrementAndGet();
                ProjectNode node = find(root, HUB);
                hubCoveredLines.add(node == null ? 0 : node.coveredLines());
            });
            return null;
        });

        // The user closes drivers/ and scrolls the tree to the top: live updates must not undo either.
        onFx(() -> {
            treeItem("drivers").setExpanded(false);
            window.view.projectView().tree().scrollTo(0);
            return null;
        });
        window.awaitIdle();
        int firstRowBefore = onFx(this::firstVisibleTreeRow);

        // Connect and start through the Live window's own controls.
        PulseWatch stalls = onFx(PulseWatch::begin);
        onFx(() -> {
            window.view.liveView().address().setText("127.0.0.1:" + server.address().getPort());
            LiveDemoWindow.button(window, "Connect").fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.live().stateProperty().get() == LiveState.CONNECTED, "connected", 60);
        long started = System.nanoTime();
        long updatesBefore = onFx(() -> window.model.live().updatesProperty().get());
        onFx(() -> {
            window.view.liveView().usbBuses().setText("1");
            LiveDemoWindow.button(window, "Start").fire();
            return null;
        });
        CoverageRun recorded = DumpReader.read(CAPTURE);
        LiveDemoWindow.awaitLiveRun(session, recorded, 120);
        double seconds = (System.nanoTime() - started) / 1e9;
        long updates = onFx(() -> window.model.live().updatesProperty().get()) - updatesBefore;

        // The live run is a run of the session, and what hub.c shows becomes exactly the model's coverage of it.
        SessionRun live = session.run(LiveSessionRun.LABEL).orElseThrow();
        Coverage coverage = session.coverage(List.of(live));
        Aggregate hubFigures = coverage.file(coverage.layout().findFile(HUB));
        assertThat(hubFigures.coveredLines()).as("hub.c lines covered by the live run").isGreaterThan(200);
        Map<Integer, LineMark> expected = PaintedLines.expected(coverage, null, HUB);
        LiveDemoWindow.until(() -> PaintedLines.of(onFx(window.view::selectedEditorView)).equals(expected),
                "hub.c painted as the model's coverage of the live run", 60);
        LiveDemoWindow.await(() -> find(window.model.project().rootProperty().get(), HUB).coveredLines()
                == hubFigures.coveredLines(), "the tree's hub.c figures", 60);
        PulseWatch.Stall stall = onFx(stalls::finish);
        System.out.printf("live window: %,d PCs in %.1f s; %d updates, %d editor repaints of hub.c and %d tree updates "
                + "(%.1f, %.1f and %.1f per second); hub.c covered lines as the tree showed them: %s; worst FX stall "
                + "%d ms (%d ms FX CPU); load average %.1f%n", trace.length, seconds, updates, editorRepaints.get(),
                treeRepaints.get(), updates / seconds, editorRepaints.get() / seconds, treeRepaints.get() / seconds,
                hubCoveredLines, stall.wallMillis(), stall.cpuMillis(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        assertThat(onFx(() -> window.model.live().pcsProperty().get())).as("the live counter").isEqualTo(trace.length);
        assertThat(onFx(() -> List.copyOf(hubCoveredLines))).as("hub.c's figures rose in steps as batches arrived")
                .isSorted().hasSizeGreaterThan(2).last().isEqualTo(hubFigures.coveredLines());
        assertThat(editorRepaints.get()).as("hub.c repainted while coverage arrived").isGreaterThan(2);

        assertThat(onFx(this::firstVisibleTreeRow)).as("the tree stayed where the user scrolled it")
                .isEqualTo(firstRowBefore);
        assertThat(onFx(() -> treeItem("drivers").isExpanded())).as("drivers/ stayed closed").isFalse();

        // Freeze into a normal run, save, and the saved session has both.
        onFx(() -> {
            window.controller.freezeLive(window.controller.freeLabel("frozen"));
            return null;
        });
        LiveDemoWindow.await(() -> window.model.runs().runs().stream().map(RunItem::label).toList()
                .containsAll(List.of("live", "frozen")), "the live and the frozen run listed", 300);
        assertThat(session.run("frozen").orElseThrow().uniquePcs()).isEqualTo(recorded.uniquePcs());
        Path saved = Files.createDirectories(work.resolve("saved")).resolve("with-live.kcovx");
        onFx(() -> {
            window.controller.save(saved);
            return null;
        });
        LiveDemoWindow.until(() -> Files.exists(saved), "the session saved", 300); // written aside, renamed when complete
        Session reread = SessionFile.read(saved);
        assertThat(reread.run("frozen").orElseThrow().uniquePcs()).isEqualTo(recorded.uniquePcs());
        assertThat(reread.run("live").orElseThrow().uniquePcs()).isEqualTo(recorded.uniquePcs());
        assertThat(Files.list(saved.getParent()).map(Path::getFileName).map(Path::toString)).as("no temporary file left")
                .containsExactly("with-live.kcovx");

        // The agent goes away: the window says so and keeps trying; it comes back and the window follows.
        int port = server.address().getPort();
        server.close();
        LiveDemoWindow.await(() -> stateLabel().contains("connection lost"), "connection loss shown", 60);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", port), null,
                new DumpReplaySource("usb-kbd-hotplug", TraceMode.PC, trace, PER_DRAIN), line -> { });
        LiveDemoWindow.await(() -> window.model.live().stateProperty().get() == LiveState.CONNECTED, "reconnected", 60);
        assertThat(onFx(() -> window.model.live().pcsProperty().get())).as("nothing received was lost")
                .isEqualTo(trace.length);
    }

    @Test
    void aTargetRunningAnotherKernelIsNamedInAWarning() throws Exception {
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        Session session = SessionFile.read(DEMO);
        DumpReplaySource replay = new DumpReplaySource("other", TraceMode.PC, new long[] {0xffffffff81000000L}, 1);
        CoverageSource otherKernel = new CoverageSource() {
            @Override
            public Message.KernelInfo kernelInfo() {
                Message.KernelInfo info = replay.kernelInfo();
                return new Message.KernelInfo("6.6.0-other", "00112233445566778899aabbccddeeff00112233", info.kcov(),
                        info.comparisons(), info.remote(), info.problem(), info.usbBuses());
            }

            @Override
            public void start(CollectionPlan plan) {
                replay.start(plan);
            }

            @Override
            public CoverageChunk drain() {
                return replay.drain();
            }

            @Override
            public CoverageChunk stop() {
                return replay.stop();
            }

            @Override
            public ModuleLayout moduleLayout() {
                return ModuleLayout.NONE;
            }
        };
        window = WindowHarness.open(config, 1200, 800);
        window.show(session, new DirectorySources(work, Map.of()), "demo.kcovx");

        onFx(() -> {
            window.model.liveCollector().connectTo(otherKernel);
            return null;
        });

        LiveDemoWindow.await(() -> window.model.warningProperty().get().contains("is not this session's vmlinux"), "the warning", 60);
        assertThat(onFx(() -> window.model.warningProperty().get())).isEqualTo("the agent's kernel (build id "
                + "00112233445566778899aabbccddeeff00112233) is not this session's vmlinux (build id "
                + session.index().buildId() + "): its PCs will not match");
    }

    private javafx.scene.control.TreeItem<ProjectNode> treeItem(String path) {
        return window.view.projectView().tree().getRoot().getChildren().stream()
                .filter(item -> item.getValue().path().equals(path)).findFirst().orElseThrow();
    }

    private int firstVisibleTreeRow() {
        var flow = (javafx.scene.control.skin.VirtualFlow<?>) window.view.projectView().tree().lookup(".virtual-flow");
        return flow.getFirstVisibleCell().getIndex();
    }

    private String stateLabel() throws Exception {
        return onFx(() -> ((Label) window.view.liveView().lookup(".live-state")).getText());
    }

    private static ProjectNode find(ProjectNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.file() && node.path().equals(path)) {
            return node;
        }
        for (ProjectNode child : node.children()) {
            ProjectNode found = find(child, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
