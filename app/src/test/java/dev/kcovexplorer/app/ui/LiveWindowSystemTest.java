package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo the project exists for, for real: the demo kernel boots under QEMU with the agent inside, the
 * window (on the demo session of that kernel) connects to it through its Live tab, starts remote
 * collection of the guest's USB 2 bus, a USB keyboard is plugged in through QMP, and hub.c lights up in
 * the open editor. Prints how long after the plug the first hub.c line was painted. Skipped, with the
 * reason, without the demo kernel or QEMU.
 */
class LiveWindowSystemTest {
    private static final Path ROOT = DemoKernel.ROOT;
    private static final Path DEMO = ROOT.resolve("sample-data/demo/demo.kcovx");
    private static final String HUB = LiveDemoWindow.HUB;

    @TempDir
    Path config;
    @TempDir
    Path sources;

    private Path vm;
    private WindowHarness window;

    @AfterEach
    void stopEverything() throws Exception {
        if (window != null) {
            window.close();
        }
        if (vm != null) {
            new ProcessBuilder(ROOT.resolve("sample-data/vm/stop").toString(), vm.toString()).inheritIO().start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void pluggingAUsbKeyboardIntoTheGuestLightsUpHubCInTheWindow() throws Exception {
        DemoKernel.assumeBootable();
        Path bzImage = DemoKernel.bzImage();
        Path vmlinux = DemoKernel.vmlinux();
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        Session session = SessionFile.read(DEMO);
        String kernelBuildId;
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            kernelBuildId = elf.buildId();
        }
        assumeTrue(session.index().buildId().equalsIgnoreCase(kernelBuildId),
                "the demo session was made from another kernel than " + vmlinux);

        // The guest: the agent listens on the forwarded port, with a token since it is not on loopback.
        vm = Files.createTempDirectory("kx-live-window");
        String token = "live-window-system-test-token";
        Files.writeString(vm.resolve("token"), token);
        Files.setPosixFilePermissions(vm.resolve("token"), PosixFilePermissions.fromString("rw-------"));
        long bootStart = System.nanoTime();
        Process boot = new ProcessBuilder(ROOT.resolve("sample-data/vm/boot").toString(), "--kernel", bzImage.toString(),
                "--dir", vm.toString(), "--", "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -cp '"
                        + agentClassPath() + "' dev.kcovexplorer.kcov.agent.AgentMain --listen 0.0.0.0:7070 --token-file '"
                        + vm.resolve("token") + "'")
                .redirectErrorStream(true).redirectOutput(vm.resolve("boot.log").toFile()).start();
        // boot gives the guest 300 s itself and then says why it failed: a minute more to hear it.
        assertThat(boot.waitFor(360, TimeUnit.SECONDS)).as("the guest booted").isTrue();
        assertThat(boot.exitValue()).as(Files.readString(vm.resolve("boot.log"))).isZero();
        // As long as a stage of the Demo VM's boot: a busy host slows the guest's JVM many times over.
        String listening = awaitLine(vm.resolve("guest.log"), "agent: listening", 300);
        double bootSeconds = (System.nanoTime() - bootStart) / 1e9;
        Matcher usb2 = Pattern.compile("(\\d+) \\(USB 2\\.\\d+").matcher(listening);
        assertThat(usb2.find()).as("a USB 2 bus in: " + listening).isTrue();
        String bus = usb2.group(1);
        int port = Integer.parseInt(Files.readString(vm.resolve("agent-port")).trim());

        // The window on the demo session, only the live run visible, hub.c open.
        window = LiveDemoWindow.open(config, sources, session, 1500, 940);
        onFx(() -> {
            window.view.liveView().address().setText("127.0.0.1:" + port);
            window.view.liveView().token().setText(token);
            LiveDemoWindow.button(window, "Connect").fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.live().stateProperty().get() == LiveState.CONNECTED, "connected", 60);
        assertThat(onFx(() -> window.view.liveView().usbBuses().getText())).as("the guest's buses, offered")
                .contains(bus);
        assertThat(onFx(() -> window.model.warningProperty().get())).doesNotContain("is not this session's vmlinux");
        // An area larger than the guest's memory: the kernel's ENOMEM, named for people, and nothing started.
        onFx(() -> {
            window.view.liveView().usbBuses().setText(bus);
            window.view.liveView().areaWords().setText(Integer.toString(Integer.MAX_VALUE / 8 / 512 * 512));
            LiveDemoWindow.button(window, "Start").fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.live().statusProperty().get().startsWith("start refused"), "the refusal", 30);
        String refusal = onFx(() -> window.model.live().statusProperty().get());
        System.out.println("live window on a real kernel, asking for a 2 GiB area: " + refusal);
        assertThat(refusal).contains("too large");
        assertThat(onFx(() -> window.model.live().stateProperty().get())).isEqualTo(LiveState.CONNECTED);
        onFx(() -> {
            window.view.liveView().areaWords().setText("1M");
            LiveDemoWindow.button(window, "Start").fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.live().stateProperty().get() == LiveState.COLLECTING, "collecting", 30);

        // Plug the keyboard; hub.c must light up in the editor.
        long plugged = System.nanoTime();
        qmp("device_add", "driver=usb-kbd", "bus=xhci.0", "id=kbd");
        LiveDemoWindow.await(() -> hubLinesPainted() > 0, "hub.c lines painted", 90);
        double firstPaint = (System.nanoTime() - plugged) / 1e9;
        LiveDemoWindow.until(() -> session.run(LiveSessionRun.LABEL).filter(run ->
                functionCovered(session.coverage(List.of(run)), "hub_event") > 0).isPresent(),
                "hub_event's remote section in the live run", 60);
        long beforeUnplug = window.model.liveCollector().freeze("before the unplug").entries();
        qmp("device_del", "id=kbd");
        LiveDemoWindow.until(() -> window.model.liveCollector().freeze("now").entries() > beforeUnplug,
                "coverage of the unplug's hub_event", 60);
        onFx(() -> {
            LiveDemoWindow.button(window, "Stop").fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.live().stateProperty().get() == LiveState.CONNECTED, "stopped", 30);
        // Every batch has arrived once stopped: the live run must come to hold all of it.
        RunInput received = window.model.liveCollector().freeze("received");
        LiveDemoWindow.until(() -> session.run(LiveSessionRun.LABEL).filter(run -> Arrays.equals(run.uniquePcs(),
                received.uniquePcs()) && Arrays.equals(run.hitCounts(), received.hitCounts())).isPresent(),
                "the live run holds everything received", 60);

        SessionRun live = session.run(LiveSessionRun.LABEL).orElseThrow();
        Coverage coverage = session.coverage(List.of(live));
        int hubLines = coverage.file(coverage.layout().findFile(HUB)).coveredLines();
        System.out.printf("live window on a real kernel: guest up with the agent after %.0f s; hub.c painted %.1f s "
                + "after the keyboard was plugged; %,d PCs received, %,d unique; %d hub.c lines covered, hub_event "
                + "%d of %d points%n", bootSeconds, firstPaint, onFx(() -> window.model.live().pcsProperty().get()),
                live.uniquePcCount(), hubLines, functionCovered(coverage, "hub_event"), functionPoints(coverage, "hub_event"));
        assertThat(hubLines).isPositive();
        assertThat(functionCovered(coverage, "hub_event")).as("hub_event's remote section ran").isPositive();
        Map<Integer, LineMark> expected = PaintedLines.expected(coverage, null, HUB);
        LiveDemoWindow.until(() -> PaintedLines.of(onFx(window.view::selectedEditorView)).equals(expected),
                "hub.c painted as the model's coverage of the live run", 60);
    }

    private int hubLinesPainted() throws Exception {
        var editor = window.view.selectedEditorView();
        return editor == null ? 0 : (int) PaintedLines.of(editor).values().stream()
                .filter(mark -> mark == dev.kcovexplorer.app.ui.editor.LineMark.COVERED
                        || mark == dev.kcovexplorer.app.ui.editor.LineMark.PARTIAL).count();
    }

    private static int functionCovered(Coverage coverage, String name) {
        return coverage.function(coverage.layout().findFunction(name, HUB)).coveredPoints();
    }

    private static int functionPoints(Coverage coverage, String name) {
        return coverage.function(coverage.layout().findFunction(name, HUB)).points();
    }

    /** The agent needs only the kcov module, JNA and Jackson from this test's class path. */
    private static String agentClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (entry.endsWith("kcov/target/classes") || name.startsWith("kcov-") || name.startsWith("jna-")
                    || name.startsWith("jackson-")) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        assertThat(entries).as("kcov classes on the class path").isNotEmpty();
        return String.join(":", entries);
    }

    private void qmp(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(ROOT.resolve("sample-data/vm/qmp").toString(), vm.toString()));
        args.addAll(List.of(command));
        Process qmp = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(qmp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(qmp.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(qmp.exitValue()).as("qmp " + String.join(" ", command) + ": " + output).isZero();
    }

    private static String awaitLine(Path file, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.contains(text)) {
                        return line;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + file + " within " + seconds + " s");
    }
}
