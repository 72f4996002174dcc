package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.app.demo.DemoDevice;
import dev.kcovexplorer.app.demo.DemoState;
import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.demo.DemoVmOptions;
import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.model.DiffCategory;
import dev.kcovexplorer.app.model.RunDiff;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.live.CollectionForm;
import dev.kcovexplorer.app.model.source.DemoSources;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.model.source.SourceManifest;
import dev.kcovexplorer.app.ui.session.CachedSources;
import dev.kcovexplorer.app.ui.snapshot.PngSnapshot;
import dev.kcovexplorer.app.ui.task.Progress;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Writes the README's screenshots (see {@link #SCREENSHOTS}) from the bundled demo session (real remote
 * kcov coverage of a kernel): hub.c at hub_event's remote section, the functions of an expression, the diff
 * of the two USB captures, and vhost.c's descriptor walk (run by vhost_worker) in the dark theme. Uses the session's
 * Debian source package as the app does, but never downloads it ({@link DemoSources}): skipped, keeping the committed
 * images, when it is not on this machine or its files differ from the demo's; under {@code CI=true} that fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScreenshotsTest {
    /**
     * Where the images go: {@code app/target/screenshots} on every run, {@code docs/screenshots} (the README's,
     * tracked in git) when {@code -Dkcov-explorer.update-screenshots=true} asks for it, so a plain
     * {@code mvn verify} never leaves modified images in anyone's working tree.
     */
    private static final Path SCREENSHOTS = Boolean.getBoolean("kcov-explorer.update-screenshots")
            ? Path.of("..", "docs", "screenshots") : Path.of("target", "screenshots");
    private static final String HUB = "drivers/usb/core/hub.c";
    private static final String VHOST = "drivers/vhost/vhost.c";
    private static final Path CAPTURE = Path.of("..", "kcov", "src", "test", "resources", "dev", "kcovexplorer", "kcov",
            "agent", "usb-kbd-hotplug.kcov.gz");

    private static Session session;
    /** The runs and series of the bundled demo as read: what ./kcov-explorer shows, and the README says it shows. */
    private static java.util.List<String> demoRuns;
    private static KernelSources sources;

    @TempDir
    static Path scratch;

    @TempDir
    Path config;

    private WindowHarness window;

    @BeforeAll
    static void demoWithItsSources() throws Exception {
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        session = SessionFile.read(DEMO);
        demoRuns = runsOf(session);
        SourceManifest manifest = session.kernel().sourceManifest().orElseThrow();
        sources = DemoSources.forTest(manifest, scratch, java.util.List.of(HUB, VHOST));
        CachedSources probe = new CachedSources(sources);
        for (String path : new String[] {HUB, VHOST}) {
            probe.lines(path, Progress.NONE);
            String differs = probe.banner(path);
            if (differs != null && "true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(path + " of the installed sources is not the demo's: " + differs);
            }
            assumeTrue(differs == null, path + " of the sources here is not the demo's (" + differs
                    + "): regenerate the demo session for the installed " + manifest.sourcePackage().name());
        }
    }

    /** Other classes run next in this test JVM: left in a static field, the demo session stayed on its heap. */
    @AfterAll
    static void letGoOfTheDemo() {
        session = null;
    }

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    @Order(2)
    void writesHubEventExpressionDiffAndDarkScreenshots() throws Exception {
        window = WindowHarness.open(config, 1600, 1000);
        window.show(session, sources, "demo.kcovx");

        EditorViewModel hub = onFx(() -> window.model.editors().open(HUB));
        window.awaitIdle();
        onFx(() -> {
            hub.goToLine(1);
            return hub.find("kcov_remote_start_usb(", true);
        });
        window.awaitIdle();
        Path treeEditor = writeDemo("tree-editor.png");

        onFx(() -> {
            window.model.composition().expressionProperty().set("usb_storage - usb_keyboard");
            return null;
        });
        window.awaitIdle();
        onFx(() -> {
            hub.revealFirstRunLine();
            return null;
        });
        window.awaitIdle();
        Path functions = writeDemo("functions.png");

        RunDiff diff = session.diff(session.coverage("usb_keyboard"), session.coverage("usb_storage"));
        int hubFile = session.layout().findFile(HUB);
        int[] gained = diff.lineNumbers(hubFile, DiffCategory.GBC);
        int[] lost = diff.lineNumbers(hubFile, DiffCategory.LBC);
        assertThat(gained).as("usb_storage reaches hub.c lines usb_keyboard did not").isNotEmpty();
        onFx(() -> {
            window.model.composition().expressionProperty().set("");
            window.model.composition().showDiff("usb_keyboard", "usb_storage");
            return null;
        });
        window.awaitIdle();
        onFx(() -> {
            hub.goToLine(lost.length > 0 ? Math.min(gained[0], lost[0]) + 12 : gained[0] + 12);
            return null;
        });
        window.awaitIdle();
        Path diffShot = writeDemo("diff.png");

        onFx(() -> {
            window.model.setTheme("dark");
            window.model.composition().diffModeProperty().set(false);
            return null;
        });
        window.awaitIdle();
        EditorViewModel vhost = onFx(() -> window.model.editors().open(VHOST));
        window.awaitIdle();
        onFx(() -> {
            vhost.goToLine(firstLine(VHOST, "int vhost_get_vq_desc(") + 14);
            return null;
        });
        window.awaitIdle();
        Path dark = writeDemo("dark.png");

        // Last: the live run it adds stays in the session, which the other screenshots show as the bundled demo.
        onFx(() -> {
            window.model.setTheme("light");
            return window.model.editors().open(HUB);
        });
        window.awaitIdle();
        Path live = writeLiveScreenshot(hub);

        for (Path png : new Path[] {treeEditor, functions, diffShot, live, dark}) {
            assertThat(Files.size(png)).as(png.toString()).isGreaterThan(50_000);
        }
    }

    /**
     * The Live window collecting from an agent that replays the real hot-plug capture of the tests (the demo
     * kernel's hub_event), with the recorded runs hidden so hub.c shows only what arrived live.
     */
    private Path writeLiveScreenshot(EditorViewModel hub) throws Exception {
        long[] trace = DumpReader.read(CAPTURE).trace();
        try (AgentServer agent = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                new DumpReplaySource("usb-kbd-hotplug", TraceMode.PC, trace, 20_000), line -> { })) {
            onFx(() -> {
                window.model.composition().diffModeProperty().set(false);
                window.model.runs().runs().forEach(run -> run.visibleProperty().set(false));
                window.view.showLive();
                window.view.liveView().address().setText("127.0.0.1:" + agent.address().getPort());
                window.model.live().connect("127.0.0.1:" + agent.address().getPort(), "");
                return null;
            });
            LiveDemoWindow.await(() -> window.model.live().stateProperty().get() == LiveState.CONNECTED,
                    "connected", 60);
            onFx(() -> {
                window.view.liveView().usbBuses().setText("1");
                window.model.live().start(new CollectionForm(TraceMode.PC, "1", "", "1M", false, true));
                return null;
            });
            LiveDemoWindow.awaitLiveRun(session, DumpReader.read(CAPTURE), 60);
            window.awaitIdle();
            onFx(() -> {
                hub.goToLine(1);
                return hub.find("kcov_remote_start_usb(", true);
            });
            window.awaitIdle();
            Path shot = write("live.png");
            onFx(() -> {
                window.model.live().disconnect();
                window.model.runs().runs().forEach(run -> run.visibleProperty().set(true));
                return null;
            });
            window.awaitIdle();
            return shot;
        }
    }

    /**
     * The Comparisons window on hub.c at hub_event: the comparison sites of hub_event the demo's TRACE_CMP runs
     * reached, with the values compared.
     */
    @Test
    @Order(1)
    void writesTheComparisonsScreenshot() throws Exception {
        window = WindowHarness.open(config, 1600, 1000);
        window.show(session, sources, "demo.kcovx");
        EditorViewModel hub = onFx(() -> {
            window.view.showComparisons();
            window.model.comparisons().filterTextProperty().set("hub_event");
            return window.model.editors().open(HUB);
        });
        window.awaitIdle();
        onFx(() -> {
            hub.goToLine(1);
            return hub.find("kcov_remote_start_usb(", true);
        });
        window.awaitIdle();
        Path shot = writeDemo("comparisons.png");
        assertThat(Files.size(shot)).as(shot.toString()).isGreaterThan(50_000);
    }

    /**
     * The Demo VM window on the real demo kernel, when it is built and is the one the demo session was made from:
     * Start, a USB keyboard plugged, vhost-net traffic on and off, the time line of those actions, and hub.c at
     * hub_event painted by what "live usb" received (the recorded runs hidden). Skipped, saying why, otherwise.
     */
    @Test
    @Order(3)
    void writesTheDemoVmScreenshot() throws Exception {
        DemoKernel.assumeBootable();
        String buildId;
        try (ElfFile elf = ElfFile.open(DemoKernel.vmlinux())) {
            buildId = elf.buildId();
        }
        assumeTrue(buildId != null && buildId.equalsIgnoreCase(session.index().buildId()),
                "the demo kernel built here is not the one the demo session was made from: no Demo VM screenshot");
        DemoVm vm = DemoVm.withCacheDirectories(DemoVmOptions.defaults(DemoKernel.ROOT));
        window = WindowHarness.open(config, 1600, 1000, vm);
        window.show(session, sources, "demo.kcovx");
        EditorViewModel hub = onFx(() -> {
            window.model.runs().runs().forEach(run -> run.visibleProperty().set(false));
            window.view.showDemo();
            window.model.demo().start();
            return window.model.editors().open(HUB);
        });
        LiveDemoWindow.await(() -> demoState() == DemoState.RUNNING || demoState() == DemoState.FAILED,
                "the demo VM running", (int) DemoVm.LONGEST_BOOT_SECONDS + 60);
        assertThat(demoState()).as(onFx(() -> window.model.demo().statusProperty().get())).isEqualTo(DemoState.RUNNING);
        act(vm.plug(DemoDevice.KEYBOARD));
        // The keyboard's enumeration on the time line and in hub.c before the next action begins.
        LiveDemoWindow.await(() -> PaintedLines.of(window.view.selectedEditorView()).values().stream()
                .anyMatch(mark -> mark == LineMark.COVERED), "hub.c painted by live usb", 60);
        act(vm.vhostTraffic(true));
        long vhostOn = vm.vhostCollector().freeze("on").entries();
        // A few of the paced traffic's steps (some 66,000 PCs each).
        LiveDemoWindow.until(() -> vm.vhostCollector().freeze("now").entries() > vhostOn + 300_000, "vhost coverage",
                60);
        act(vm.vhostTraffic(false));
        LiveDemoWindow.await(() -> window.view.demoView().timeline().getItems().size() == 3, "three actions", 60);
        window.awaitIdle();
        onFx(() -> {
            window.view.demoView().timeline().getSelectionModel().select(0);
            hub.goToLine(1);
            return hub.find("kcov_remote_start_usb(", true);
        });
        window.awaitIdle();
        Path shot = write("demo-vm.png");
        assertThat(Files.size(shot)).as(shot.toString()).isGreaterThan(50_000);
    }

    private DemoState demoState() throws Exception {
        return onFx(() -> window.model.demo().stateProperty().get());
    }

    private static void act(java.util.concurrent.CompletableFuture<Boolean> action) throws Exception {
        assertThat(action.get(90, java.util.concurrent.TimeUnit.SECONDS)).as("the demo action was done").isTrue();
    }

    /** The first 1-based line of a demo source containing {@code text}. */
    private static int firstLine(String path, String text) throws Exception {
        String[] lines = new CachedSources(sources).lines(path, Progress.NONE).orElseThrow();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + path);
    }

    /**
     * {@link #write} of a picture the README presents as the bundled demo: its session must hold the demo's runs and
     * nothing else. The Demo VM's test, run first in JUnit's default order, left its live runs in the shared session,
     * and the README's pictures showed 10 and 11 runs where ./kcov-explorer shows 8.
     */
    private Path writeDemo(String name) throws Exception {
        assertThat(runsOf(session)).as("the runs and series shown in " + name).isEqualTo(demoRuns);
        return write(name);
    }

    private static java.util.List<String> runsOf(Session shown) {
        java.util.List<String> labels = new java.util.ArrayList<>(shown.runs().stream().map(run -> run.label()).toList());
        shown.series().forEach(series -> labels.add(series.name()));
        return labels;
    }

    private Path write(String name) throws Exception {
        // Focus in the tree: no blinking text caret, so an unchanged window gives an unchanged PNG.
        onFx(() -> {
            window.view.projectView().focusTree();
            return null;
        });
        WaitForAsyncUtils.waitFor(Patience.SECONDS, java.util.concurrent.TimeUnit.SECONDS,
                () -> onFx(() -> window.view.projectView().tree().isFocused()));
        WaitForAsyncUtils.waitForFxEvents();
        Files.createDirectories(SCREENSHOTS);
        Path out = SCREENSHOTS.resolve(name);
        onFx(() -> {
            PngSnapshot.write(window.scene, out);
            return null;
        });
        return out;
    }
}
