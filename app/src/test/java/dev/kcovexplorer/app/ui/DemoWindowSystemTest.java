package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.demo.DemoDevice;
import dev.kcovexplorer.app.demo.DemoState;
import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.demo.DemoVmOptions;
import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.session.SessionLoading;
import dev.kcovexplorer.app.ui.task.Progress;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.scene.control.Button;
import javafx.scene.control.ToggleButton;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Demo VM tool window for real, whenever the demo kernel is built: Start boots it under QEMU with the agent
 * inside and connects both sessions; the window's own buttons plug a USB keyboard and a storage stick through
 * QMP and start vhost-net traffic; hub.c lights up in its editor from "live usb", usb-storage's files gain
 * coverage, vhost.c lights up from "live vhost" alone; frozen runs take their actions' names; Stop leaves no
 * QEMU. Prints the boot's time to the agent connected and from the keyboard's plug to the first hub.c lines
 * painted. Skipped, saying why, without the kernel (it never skips for a session made from another kernel: it
 * indexes the vmlinux instead).
 */
class DemoWindowSystemTest {
    private static final Path DEMO = DemoKernel.ROOT.resolve("sample-data/demo/demo.kcovx");
    private static final String HUB = "drivers/usb/core/hub.c";
    private static final String VHOST = "drivers/vhost/vhost.c";
    private static final String STORAGE = "drivers/usb/storage/";

    @TempDir
    Path config;
    @TempDir
    Path sources;

    private WindowHarness window;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void plugsAndTrafficFromTheWindowLightUpHubCStorageAndVhostC() throws Exception {
        DemoKernel.assumeBootable();
        Session session = sessionOfTheDemoKernel();
        PlaceholderSources.write(sources, session, HUB);
        PlaceholderSources.write(sources, session, VHOST);
        DemoVm vm = DemoVm.withCacheDirectories(DemoVmOptions.defaults(DemoKernel.ROOT));
        window = WindowHarness.open(config, 1500, 940, vm);
        window.show(session, new DirectorySources(sources, Map.of()), "demo kernel");
        onFx(() -> {
            window.model.runs().runs().forEach(run -> run.visibleProperty().set(false));
            window.model.editors().open(HUB);
            window.view.showDemo();
            button("Start").fire();
            return null;
        });
        // The VM fails a boot stuck at one stage itself: this wait only backs that up.
        LiveDemoWindow.await(() -> state() == DemoState.RUNNING || state() == DemoState.FAILED, "running",
                (int) DemoVm.LONGEST_BOOT_SECONDS + 60);
        assertThat(state()).as(onFx(() -> window.model.demo().statusProperty().get())).isEqualTo(DemoState.RUNNING);
        double boot = vm.bootSeconds();

        long plugged = System.nanoTime();
        toggle(DemoDevice.KEYBOARD);
        LiveDemoWindow.await(() -> paintedLines(HUB) > 0, "hub.c painted after the keyboard's plug", 60);
        double firstPaint = (System.nanoTime() - plugged) / 1e9;
        LiveDemoWindow.await(() -> selected(DemoDevice.KEYBOARD), "the keyboard button down", 30);
        awaitCovered(LiveRuns.USB_LABEL, "hub_event", HUB);
        toggle(DemoDevice.KEYBOARD);
        LiveDemoWindow.await(() -> !selected(DemoDevice.KEYBOARD), "the keyboard unplugged", 30);

        toggle(DemoDevice.STORAGE);
        LiveDemoWindow.await(() -> selected(DemoDevice.STORAGE), "the stick plugged", 30);
        LiveDemoWindow.until(() -> coveredLinesUnder(LiveRuns.USB_LABEL, STORAGE) > 0, "usb-storage's files covered", 120);

        onFx(() -> {
            window.view.demoView().vhostButton().fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.view.demoView().vhostButton().isSelected(), "vhost-net traffic on", 90);
        LiveDemoWindow.until(() -> coveredLinesUnder(LiveRuns.VHOST_LABEL, VHOST) > 0, "vhost.c covered by live vhost", 120);
        onFx(() -> {
            window.model.editors().open(VHOST);
            return null;
        });
        LiveDemoWindow.await(() -> paintedLines(VHOST) > 0, "vhost.c painted", 60);
        onFx(() -> {
            window.view.demoView().vhostButton().fire();
            return null;
        });
        LiveDemoWindow.await(() -> !window.view.demoView().vhostButton().isSelected(), "vhost-net traffic off", 90);
        assertThat(coveredLinesUnder(LiveRuns.VHOST_LABEL, HUB)).as("the vhost session's run has no hub.c").isZero();

        freeze("usb-kbd plug");
        freeze("usb-storage plug");
        freeze("vhost on");
        LiveDemoWindow.until(() -> session.run("usb-kbd plug").isPresent() && session.run("usb-storage plug").isPresent()
                && session.run("vhost on").isPresent(), "the frozen runs named after their actions", 60);
        assertThat(coveredLinesUnder("usb-kbd plug", HUB)).isPositive();
        assertThat(coveredLinesUnder("usb-storage plug", STORAGE)).isPositive();
        assertThat(coveredLinesUnder("vhost on", VHOST)).isPositive();
        assertThat(coveredLinesUnder("vhost on", HUB)).isZero();

        System.out.printf("demo window on the real kernel: Start to both agent sessions collecting %.1f s; keyboard "
                + "plug to the first hub.c lines painted %.2f s; hub.c %d lines covered (live usb), vhost.c %d "
                + "(live vhost), usb-storage %d%n", boot, firstPaint, coveredLinesUnder(LiveRuns.USB_LABEL, HUB),
                coveredLinesUnder(LiveRuns.VHOST_LABEL, VHOST), coveredLinesUnder(LiveRuns.USB_LABEL, STORAGE));

        onFx(() -> {
            button("Stop").fire();
            return null;
        });
        LiveDemoWindow.await(() -> state() == DemoState.STOPPED, "powered off", 60);
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("qemu")))
                .as("no QEMU left").isEmpty();
    }

    /** The committed demo session when it was made from this kernel; else this kernel's own, indexed now. */
    private static Session sessionOfTheDemoKernel() throws Exception {
        String buildId;
        try (ElfFile elf = ElfFile.open(DemoKernel.vmlinux())) {
            buildId = elf.buildId();
        }
        if (Files.isRegularFile(DEMO) && buildId != null && buildId.equalsIgnoreCase(SessionFile.buildId(DEMO))) {
            return SessionFile.read(DEMO);
        }
        System.out.println("the demo session is from another kernel: indexing " + DemoKernel.vmlinux());
        return SessionLoading.fromVmlinux(DemoKernel.vmlinux(), null, Progress.NONE);
    }

    private void awaitCovered(String run, String function, String file) throws Exception {
        LiveDemoWindow.until(() -> {
            SessionRun live = window.controller.session().run(run).orElse(null);
            if (live == null) {
                return false;
            }
            Coverage coverage = window.controller.session().coverage(List.of(live));
            int f = coverage.layout().findFunction(function, file);
            return f >= 0 && coverage.function(f).coveredPoints() > 0;
        }, function + " covered in " + run, 60);
    }

    private int coveredLinesUnder(String run, String prefix) {
        Session session = window.controller.session();
        SessionRun live = session.run(run).orElse(null);
        if (live == null) {
            return 0;
        }
        Coverage coverage = session.coverage(List.of(live));
        CoverageLayout layout = coverage.layout();
        int covered = 0;
        for (int file = 0; file < layout.fileCount(); file++) {
            if (layout.filePath(file).startsWith(prefix)) {
                covered += coverage.file(file).coveredLines();
            }
        }
        return covered;
    }

    private int paintedLines(String path) throws Exception {
        var editor = onFx(() -> window.view.selectedEditorView());
        if (editor == null || !path.equals(editor.model().path())) {
            return 0;
        }
        return (int) PaintedLines.of(editor).values().stream()
                .filter(mark -> mark == LineMark.COVERED || mark == LineMark.PARTIAL).count();
    }

    private void freeze(String action) throws Exception {
        onFx(() -> {
            var table = window.view.demoView().timeline();
            for (int i = 0; i < table.getItems().size(); i++) {
                if (table.getItems().get(i).action().equals(action)) {
                    table.getSelectionModel().select(i);
                    button("Freeze as Run").fire();
                    return null;
                }
            }
            throw new AssertionError("no '" + action + "' on the time line");
        });
    }

    private void toggle(DemoDevice device) throws Exception {
        onFx(() -> {
            ToggleButton button = window.view.demoView().deviceButton(device);
            assertThat(button.isDisabled()).as(device + " offered").isFalse();
            button.fire();
            return null;
        });
    }

    private boolean selected(DemoDevice device) {
        return window.view.demoView().deviceButton(device).isSelected();
    }

    private DemoState state() {
        return window.model.demo().stateProperty().get();
    }

    private Button button(String text) {
        return window.view.demoView().lookupAll(".button").stream().filter(Button.class::isInstance)
                .map(Button.class::cast).filter(b -> text.equals(b.getText())).findFirst()
                .orElseThrow(() -> new AssertionError("no button '" + text + "' in the Demo VM window"));
    }
}
