package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.WindowHarness.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.model.DiffCategory;
import dev.kcovexplorer.app.model.RunDiff;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
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
import dev.kcovexplorer.testing.Requirements;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
class ScreenshotsTest {
    /**
     * Where the images go: {@code app/target/screenshots} on every run, {@code docs/screenshots} (the README's,
     * tracked in git) when {@code -Dkcov-explorer.update-screenshots=true} asks for it, so a plain
     * {@code mvn verify} never leaves modified images in anyone's working tree.
     */
    private static final Path SCREENSHOTS = Boolean.getBoolean("kcov-explorer.update-screenshots")
            ? Path.of("..", "docs", "screenshots") : Path.of("target", "screenshots");
    private static final Path DEMO = Path.of("..", "sample-data", "demo", "demo.kcovx");
    private static final String HUB = "drivers/usb/core/hub.c";
    private static final String VHOST = "drivers/vhost/vhost.c";
    private static final Path CAPTURE = Path.of("..", "kcov", "src", "test", "resources", "dev", "kcovexplorer", "kcov",
            "agent", "usb-kbd-hotplug.kcov.gz");

    private static Session session;
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

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
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
        Path treeEditor = write("tree-editor.png");

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
        Path functions = write("functions.png");

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
        Path diffShot = write("diff.png");

        Path live = writeLiveScreenshot(hub);

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
        Path dark = write("dark.png");

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

    private Path write(String name) throws Exception {
        // Focus in the tree: no blinking text caret, so an unchanged window gives an unchanged PNG.
        onFx(() -> {
            window.view.projectView().focusTree();
            return null;
        });
        WaitForAsyncUtils.waitFor(20, java.util.concurrent.TimeUnit.SECONDS,
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
