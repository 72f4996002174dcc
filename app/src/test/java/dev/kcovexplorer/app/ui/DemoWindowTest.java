package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.demo.DemoDevice;
import dev.kcovexplorer.app.demo.DemoState;
import dev.kcovexplorer.app.demo.FakeVmAccess;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.kcovexplorer.app.live.LiveState;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Demo VM tool window in the real window, through its own buttons, on the fake QEMU (a recorded console,
 * the real agent replaying the demo kernel's USB keyboard capture on both sessions, a real paused QEMU for
 * QMP): Start boots and connects, the keyboard button plugs, the session gains the runs "live usb" and
 * "live vhost", hub.c lights up, Freeze as Run makes "usb-kbd plug", Stop powers off.
 */
class DemoWindowTest {

    @TempDir
    Path config;
    @TempDir
    Path sources;
    @TempDir
    Path vmDir;

    private WindowHarness window;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void startPlugFreezeAndStopThroughTheWindowsOwnButtons() throws Exception {
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        Session session = SessionFile.read(DEMO);
        var vm = FakeVmAccess.vm(FakeVmAccess.options(vmDir, "boot", "CONFIG_USB_HID=y\n"), vmDir);
        window = LiveDemoWindow.open(config, sources, session, 1500, 940, vm);
        onFx(() -> {
            window.view.showDemo();
            button("Start").fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.demo().stateProperty().get() == DemoState.RUNNING
                || window.model.demo().stateProperty().get() == DemoState.FAILED, "running", 120);
        assertThat(onFx(() -> window.model.demo().stateProperty().get())).as(onFx(() -> window.model.demo()
                .statusProperty().get())).isEqualTo(DemoState.RUNNING);
        assertThat(onFx(() -> button("Start").isDisabled())).isTrue();
        assertThat(onFx(() -> window.view.demoView().deviceButton(DemoDevice.STORAGE).isDisabled()))
                .as("no usb-storage driver in this kernel's config").isTrue();

        onFx(() -> {
            window.view.demoView().deviceButton(DemoDevice.KEYBOARD).fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.view.demoView().deviceButton(DemoDevice.KEYBOARD).isSelected(), "plugged", 30);
        LiveDemoWindow.await(() -> window.view.demoView().timeline().getItems().size() == 1, "the plug on the time line", 30);
        LiveDemoWindow.until(() -> session.run(LiveRuns.USB_LABEL).isPresent() && session.run(LiveRuns.VHOST_LABEL)
                .isPresent(), "the live runs of both sources", 60);
        LiveDemoWindow.await(() -> PaintedLines.of(window.view.selectedEditorView()).values().stream()
                .anyMatch(mark -> mark == LineMark.COVERED), "hub.c painted", 60);

        // The Live window shows both sessions on the Demo VM's own connections, and opened none of its own.
        onFx(() -> {
            window.view.showLive();
            return null;
        });
        LiveDemoWindow.await(() -> sharedSession(LiveRuns.USB_LABEL).matches(".* [1-9][0-9,]* PCs .*"),
                "the Live window's " + LiveRuns.USB_LABEL + " counting PCs", 60);
        assertThat(onFx(() -> window.view.liveView().lookup(".live-shared").isVisible())).isTrue();
        assertThat(onFx(() -> sharedSession(LiveRuns.USB_LABEL))).startsWith("live from 127.0.0.1:")
                .contains("collecting: remote pc collection for USB bus");
        assertThat(onFx(() -> sharedSession(LiveRuns.VHOST_LABEL))).startsWith("live from 127.0.0.1:")
                .contains("common 0x42");
        assertThat(onFx(() -> window.view.liveTab().getText()))
                .isEqualTo("Live \u00B7 Demo VM collecting");
        assertThat(onFx(() -> window.model.live().stateProperty().get())).isEqualTo(LiveState.DISCONNECTED);
        onFx(() -> {
            window.view.showDemo();
            return null;
        });

        onFx(() -> {
            window.view.demoView().timeline().getSelectionModel().select(0);
            button("Freeze as Run").fire();
            return null;
        });
        LiveDemoWindow.until(() -> session.run("usb-kbd plug").isPresent(), "the frozen run named after the action", 60);
        assertThat(session.run("usb-kbd plug").orElseThrow().uniquePcCount()).isPositive();

        onFx(() -> {
            button("Stop").fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.demo().stateProperty().get() == DemoState.STOPPED, "stopped", 60);
        // The Live window counted the Demo VM's own sessions: once all is in, its figures are theirs.
        LiveDemoWindow.await(() -> sharedSession(LiveRuns.USB_LABEL).contains(String.format(java.util.Locale.ROOT,
                " %,d PCs", window.model.demo().vm().usbCollector().freeze("now").entries())), "the Live window's "
                + LiveRuns.USB_LABEL + " holding the USB session's PCs", 30);
        LiveDemoWindow.await(() -> sharedSession(LiveRuns.VHOST_LABEL).contains(String.format(java.util.Locale.ROOT,
                " %,d PCs", window.model.demo().vm().vhostCollector().freeze("now").entries())), "the Live window's "
                + LiveRuns.VHOST_LABEL + " holding the vhost session's PCs", 30);
        assertThat(onFx(() -> window.view.demoView().deviceButton(DemoDevice.KEYBOARD).isDisabled())).isTrue();
    }

    /** The Live window's line for the Demo VM's session {@code label}: where from, its status and figures. */
    private String sharedSession(String label) {
        Node row = window.view.liveView().lookupAll(".live-shared-session").stream()
                .filter(node -> label.equals(node.getUserData())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " in the Live window"));
        return ((Label) row.lookup(".live-shared-figures")).getText();
    }

    private Button button(String text) {
        return window.view.demoView().lookupAll(".button").stream().filter(Button.class::isInstance)
                .map(Button.class::cast).filter(b -> text.equals(b.getText())).findFirst()
                .orElseThrow(() -> new AssertionError("no button '" + text + "' in the Demo VM window"));
    }
}
