package dev.kcovexplorer.app.demo;

import static dev.kcovexplorer.app.demo.FakeVm.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.testing.Patience;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo VM on the real demo kernel, without a window: boots it (the accelerator chosen as the window
 * would), both agent sessions collect, a USB keyboard plugged through QMP brings USB coverage, vhost-net
 * traffic through the agent brings vhost coverage into the other session only, more than its area holds and
 * without an overflow, Stop leaves no QEMU. Prints
 * the boot's figures. Skipped, saying why, without the demo kernel or QEMU.
 */
class DemoVmSystemTest {
    private DemoVm vm;

    @AfterEach
    void closeTheVm() {
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    void theRealGuestBootsCollectsUsbAndVhostApartAndPowersOff() throws Exception {
        DemoKernel.assumeBootable();
        FakeVm.Heard heard = new FakeVm.Heard();
        vm = DemoVm.withCacheDirectories(DemoVmOptions.defaults(DemoKernel.ROOT));
        vm.observe(Runnable::run, heard);
        vm.start();
        await(() -> heard.last() == DemoState.RUNNING || heard.last() == DemoState.FAILED,
                () -> "running; so far: " + heard.messages, (int) DemoVm.LONGEST_BOOT_SECONDS + 60);
        assertThat(heard.last()).as(vm.failureDetails()).isEqualTo(DemoState.RUNNING);
        System.out.printf("demo VM: %s; Start to both agent sessions collecting: %.1f s%n",
                String.join(" \u2192 ", heard.messages), vm.bootSeconds());

        long usbBefore = vm.usbCollector().freeze("before").entries();
        long vhostBefore = vm.vhostCollector().freeze("before").entries();
        long plugged = System.nanoTime();
        assertThat(vm.plug(DemoDevice.KEYBOARD).get(Patience.SECONDS, TimeUnit.SECONDS)).as(heard.refusals.toString()).isTrue();
        await(() -> vm.usbCollector().freeze("now").entries() > usbBefore, "USB coverage after the plug", Patience.SECONDS);
        double firstUsb = (System.nanoTime() - plugged) / 1e9;
        assertThat(vm.vhostTraffic(true).get(90, TimeUnit.SECONDS)).as(heard.refusals.toString()).isTrue();
        long vhostOn = vm.vhostCollector().freeze("on").entries();
        // More than a whole area's worth passes before the traffic stops: the drains must have kept up with it.
        await(() -> vm.vhostCollector().freeze("now").entries() > Math.max(vhostBefore, vhostOn) + DemoVm.VHOST_AREA_WORDS,
                "more than the vhost session's area holds, in vhost coverage while the traffic runs", 180);
        long stopping = System.nanoTime();
        assertThat(vm.vhostTraffic(false).get(90, TimeUnit.SECONDS)).as(heard.refusals.toString()).isTrue();
        double stopSeconds = (System.nanoTime() - stopping) / 1e9;
        assertThat(vm.unplug(DemoDevice.KEYBOARD).get(Patience.SECONDS, TimeUnit.SECONDS)).as(heard.refusals.toString()).isTrue();

        RunInput keyboard = DemoVm.awaitFreeze(vm.freezeAction(heard.markers.get(0).id(), "usb-kbd plug"), "usb-kbd plug");
        RunInput traffic = DemoVm.awaitFreeze(vm.freezeAction(heard.markers.get(1).id(), "vhost on"), "vhost on");
        System.out.printf("demo VM: first USB batch %.2f s after the keyboard's device_add; usb-kbd plug: %,d PCs "
                + "(%,d unique); vhost on: %,d PCs (%,d unique)%s; vhost off took %.1f s%n", firstUsb,
                keyboard.entries(), keyboard.uniquePcs().length, traffic.entries(), traffic.uniquePcs().length,
                traffic.overflow() ? ", the area overflowed" : "", stopSeconds);
        assertThat(traffic.overflow()).as("the vhost session's area kept up").isFalse();
        System.out.println("demo VM: the guest's console after the boot:\n" + String.join("\n",
                heard.console.subList(Math.max(0, heard.console.size() - 25), heard.console.size())));
        assertThat(keyboard.uniquePcs().length).isPositive();
        assertThat(traffic.uniquePcs().length).isPositive();

        vm.stop().get(Patience.SECONDS, TimeUnit.SECONDS);
        assertThat(heard.last()).isEqualTo(DemoState.STOPPED);
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("qemu")))
                .as("no QEMU left").isEmpty();
    }
}
