package dev.kcovexplorer.app.ui.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.demo.DemoDevice;
import dev.kcovexplorer.app.demo.DemoState;
import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.demo.DemoVmOptions;
import dev.kcovexplorer.app.demo.FakeVmAccess;
import dev.kcovexplorer.app.live.LiveCoverage;
import dev.kcovexplorer.app.model.RunInput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Demo VM window's view model, headless, on the fake QEMU (recorded console, real agent replaying a real
 * capture, real paused QEMU for QMP): the boot's progress and console, devices toggled, the time line's rows
 * keeping their identity as their PCs grow, "Freeze as Run" naming the run after the action, and a build
 * that cannot start saying why.
 */
class DemoVmViewModelTest {
    @TempDir
    Path dir;

    private DemoVmViewModel model;
    private final List<RunInput> frozen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (model != null) {
            model.close();
        }
    }

    private DemoVmViewModel open(DemoVmOptions options) {
        DemoVm vm = FakeVmAccess.vm(options, dir);
        // The UI thread is the caller's: every event lands synchronously, in order.
        model = new DemoVmViewModel(vm, Runnable::run, new DemoVmViewModel.RunSink() {
            @Override
            public String freeLabel(String base) {
                return base + (frozen.stream().anyMatch(run -> run.label().equals(base)) ? "_2" : "");
            }

            @Override
            public void add(Supplier<RunInput> run) {
                frozen.add(run.get());
            }
        }, Map.of());
        return model;
    }

    @Test
    void bootsShowsProgressAndConsoleThenPlugsAndFreezesActionsNamedAfterThem() throws Exception {
        open(FakeVmAccess.options(dir, "boot", "CONFIG_USB_HID=y\nCONFIG_USB_STORAGE=y\n"));
        assertThat(model.kernelPresentProperty().get()).isTrue();
        List<Double> progress = new CopyOnWriteArrayList<>();
        model.progressProperty().addListener((obs, old, now) -> progress.add(now.doubleValue()));

        model.start();
        FakeVmAccess.await(() -> model.stateProperty().get() == DemoState.RUNNING
                || model.stateProperty().get() == DemoState.FAILED, () -> model.statusProperty().get(), 120);

        assertThat(model.stateProperty().get()).as(model.statusProperty().get()).isEqualTo(DemoState.RUNNING);
        assertThat(progress).as("the boot's progress only grows, to 1").isSorted().last().isEqualTo(1.0);
        assertThat(progress.stream().filter(p -> p > 0.1 && p < 0.6)).as("kernel time moves the bar").isNotEmpty();
        assertThat(model.console()).contains("kx: ready 15.27s after boot");
        assertThat(model.console()).anyMatch(line -> line.startsWith("agent: listening on 127.0.0.1:"));
        FakeVmAccess.await(() -> !model.usbFiguresProperty().get().isEmpty()
                && !model.vhostFiguresProperty().get().isEmpty(), () -> "figures of both sources", 60);
        assertThat(model.usbFiguresProperty().get()).matches("[0-9,]+ PCs \u00B7 [0-9,]+ unique");

        model.toggle(DemoDevice.KEYBOARD);
        FakeVmAccess.await(() -> model.plugged().contains(DemoDevice.KEYBOARD), () -> model.actionErrorProperty().get(), 30);
        assertThat(model.timeline()).hasSize(1);
        TimelineRow plug = model.timeline().get(0);
        assertThat(plug.action()).isEqualTo("usb-kbd plug");
        assertThat(plug.currentProperty().get()).isTrue();
        long pcsAtFirst = plug.pcsProperty().get();
        FakeVmAccess.await(() -> plug.pcsProperty().get() > pcsAtFirst, () -> "the plug's PCs grow", 30);
        assertThat(model.timeline().get(0)).as("the same row, updated").isSameAs(plug);

        model.toggle(DemoDevice.KEYBOARD);
        FakeVmAccess.await(() -> !model.plugged().contains(DemoDevice.KEYBOARD), () -> model.actionErrorProperty().get(), 30);
        assertThat(model.timeline()).extracting(TimelineRow::action).containsExactly("usb-kbd plug", "usb-kbd unplug");
        assertThat(plug.currentProperty().get()).isFalse();

        model.toggle(DemoDevice.NETWORK);
        FakeVmAccess.await(() -> !model.actionErrorProperty().get().isEmpty(), () -> "the refusal", 30);
        assertThat(model.actionErrorProperty().get()).startsWith("the guest kernel has no driver for a USB network adapter");
        assertThat(model.unsupported(DemoDevice.NETWORK)).isEqualTo(model.actionErrorProperty().get());
        assertThat(model.unsupported(DemoDevice.KEYBOARD)).isNull();

        model.freeze(plug);
        model.freeze(plug);
        assertThat(frozen).extracting(RunInput::label).containsExactly("usb-kbd plug", "usb-kbd plug_2");
        assertThat(frozen.get(0).uniquePcs()).isNotEmpty().isEqualTo(frozen.get(1).uniquePcs());
        assertThat(frozen.get(0).entries()).isEqualTo(plug.pcsProperty().get() - vhostPcsDuring(plug));

        model.stop();
        FakeVmAccess.await(() -> model.stateProperty().get() == DemoState.STOPPED, () -> model.statusProperty().get(), 60);
        assertThat(model.statusProperty().get()).isEqualTo("powered off");
    }

    /** The vhost source's PCs during the plug's interval: its run is the USB source's alone. */
    private long vhostPcsDuring(TimelineRow row) {
        return row.pcsProperty().get() - frozen.get(0).entries();
    }

    @Test
    void aBuildWithoutTheScriptSaysWhy() throws Exception {
        DemoVmOptions options = FakeVmAccess.options(dir, "boot", null);
        open(new DemoVmOptions(options.bzImage(), null, options.qemu(), options.accel(), options.memory(),
                options.cpus(), 0, 0, dir.resolve("no-checkout"), options.java(), options.agentClassPath(), ""));

        model.buildKernel();

        assertThat(model.buildingProperty().get()).isFalse();
        assertThat(model.buildStatusProperty().get()).isEqualTo("sample-data/kernel/build is not here: build the demo "
                + "kernel from a KCOV Explorer checkout");
    }

    @Test
    void aSourcesFiguresSayWhenItLostCoverage() {
        assertThat(DemoVmViewModel.losses(new LiveCoverage.Update(5, 2, 3, 0, 0, 0, new long[0]))).isEmpty();
        assertThat(DemoVmViewModel.losses(new LiveCoverage.Update(4_194_303, 1_488, 5, 1, 0, 0, new long[0])))
                .isEqualTo(" \u00B7 \u26A0 the kernel's area overflowed 1 time: coverage was dropped");
        assertThat(DemoVmViewModel.losses(new LiveCoverage.Update(9, 2, 5, 2, 3, 0, new long[0])))
                .isEqualTo(" \u00B7 \u26A0 the kernel's area overflowed 2 times \u00B7 \u26A0 3 batches lost: "
                        + "coverage was dropped");
    }
}
