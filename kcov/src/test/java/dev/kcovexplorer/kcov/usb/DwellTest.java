package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's dwell ({@link UsbDevice.Dwell}): the mutation that changes it changes nothing else, the other
 * mutations keep it, a corpus file says it; and {@link HostPower} allows runtime suspend for exactly the emulated
 * device and those behind it, says which file it could not write, reads whether the host suspended it, leaves a
 * file that has the value already alone, and writes aside from the watchdog, saying which file holds it up.
 */
class DwellTest {
    @Property(tries = 1000)
    void aDwellMutationChangesTheDwellAndNothingElse(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = Mutants.mutated(DeviceGenerator.generate(random), random.nextInt(4), random);
        UsbDevice mutant = DeviceMutator.dwell(device, random);
        assertThat(mutant.dwell()).isNotEqualTo(device.dwell());
        assertThat(mutant.origin()).isIn(device.origin() + " > dwell", device.origin() + " > no dwell");
        assertThat(mutant.origin().endsWith(" > no dwell")).isEqualTo(mutant.dwell() == UsbDevice.Dwell.NONE);
        assertThat(mutant.device()).isEqualTo(device.device());
        assertThat(mutant.configuration()).isEqualTo(device.configuration());
        assertThat(mutant.strings()).containsExactlyElementsOf(device.strings());
        assertThat(mutant.hidReport()).isEqualTo(device.hidReport());
        assertThat(mutant.bos()).isEqualTo(device.bos());
        assertThat(mutant.hubDescriptor()).isEqualTo(device.hubDescriptor());
        assertThat(mutant.classAnswers()).containsExactlyElementsOf(device.classAnswers());
        assertThat(mutant.faults()).isEqualTo(device.faults());
        assertThat(mutant.refusals()).isEqualTo(device.refusals());
        assertThat(mutant.wellFormed()).isEqualTo(device.wellFormed());
        assertThat(mutant).isNotEqualTo(device);
        assertThat(mutant.describe().contains("\ndwell " + mutant.dwell().name().toLowerCase(Locale.ROOT)))
                .isEqualTo(mutant.dwell() != UsbDevice.Dwell.NONE);
    }

    /**
     * Mutations (fresh devices' fixed odds and guided's chosen operators), crossover (a donor dwelling otherwise)
     * and a comparison hint's substitution keep the dwell.
     */
    @Property(tries = 1000)
    void everyOtherMutationKeepsTheDwell(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice.Dwell[] dwells = UsbDevice.Dwell.values();
        UsbDevice.Dwell dwell = dwells[random.nextInt(dwells.length)];
        UsbDevice device = DeviceGenerator.generate(random).withDwell(dwell, "dwell");
        UsbDevice donor = DeviceGenerator.generate(random)
                .withDwell(dwells[(dwell.ordinal() + 1) % dwells.length], "dwell");
        for (UsbDevice mutant : new UsbDevice[] {DeviceMutator.mutate(device, random),
            DeviceMutator.mutate(device, random, Mutants.ANY_OPERATOR),
            DeviceMutator.crossover(device, donor, random, Mutants.ANY_OPERATOR),
            ComparisonHints.apply(device, new ComparisonHints.Hint(0, 8, 2, 0x046d, 0))}) {
            String steps = mutant.origin().substring(device.origin().length());
            if (!steps.contains(" > dwell") && !steps.contains(" > no dwell")) {
                assertThat(mutant.dwell()).as(steps).isEqualTo(dwell);
            }
        }
    }

    @Test
    void hostPowerAllowsSuspendForTheEmulatedTreeOnly(@TempDir Path sysfs) throws IOException {
        Path devices = sysfs.resolve("bus/usb/devices");
        for (String name : new String[] {"3-1", "3-1.2", "3-1.2.1", "3-1:1.0", "3-10", "usb3", "1-1"}) {
            Path power = Files.createDirectories(devices.resolve(name).resolve("power"));
            Files.writeString(power.resolve("control"), "on");
            Files.writeString(power.resolve("autosuspend_delay_ms"), "2000");
        }
        HostPower power = new HostPower(sysfs, new DummyUdc("dummy_udc", "dummy_udc.0", 3));
        assertThat(power.allowSuspend()).isEqualTo(new HostPower.Allowed(3, null));
        for (String name : new String[] {"3-1", "3-1.2", "3-1.2.1"}) {
            assertThat(devices.resolve(name).resolve("power/control")).hasContent("auto");
            assertThat(devices.resolve(name).resolve("power/autosuspend_delay_ms")).hasContent("0");
        }
        for (String name : new String[] {"3-1:1.0", "3-10", "usb3", "1-1"}) {
            assertThat(devices.resolve(name).resolve("power/control")).as(name).hasContent("on");
        }
        assertThat(power.suspended()).as("no runtime_status yet").isFalse();
        Files.writeString(devices.resolve("3-1/power/runtime_status"), "active\n");
        assertThat(power.suspended()).isFalse();
        Files.writeString(devices.resolve("3-1/power/runtime_status"), "suspended\n");
        assertThat(power.suspended()).isTrue();
    }

    /**
     * A suspend that cannot come is told at once (6.1: the hub driver needs remote wakeup, and hub_suspend refuses
     * an autosuspend while a child is awake); any other device, or a hub that may suspend, is waited for.
     */
    @Test
    void hostPowerTellsAHubThatCannotSuspend(@TempDir Path sysfs) throws IOException {
        Path devices = sysfs.resolve("bus/usb/devices");
        Path drivers = Files.createDirectories(sysfs.resolve("bus/usb/drivers"));
        Files.createDirectories(drivers.resolve("hub"));
        Files.createDirectories(drivers.resolve("usbhid"));
        Path hub = Files.createDirectories(devices.resolve("3-1/power"));
        Path child = Files.createDirectories(devices.resolve("3-1.4/power"));
        Files.writeString(child.resolve("runtime_status"), "active\n");
        HostPower power = new HostPower(sysfs, new DummyUdc("dummy_udc", "dummy_udc.0", 3));
        Path intf = Files.createDirectories(devices.resolve("3-1/3-1:1.0"));
        assertThat(power.cannotSuspend(true)).as("an interface bound to no driver").isNull();
        Files.createSymbolicLink(intf.resolve("driver"), drivers.resolve("usbhid"));
        assertThat(power.cannotSuspend(true)).as("not a hub").isNull();
        Files.delete(intf.resolve("driver"));
        Files.createSymbolicLink(intf.resolve("driver"), drivers.resolve("hub"));
        assertThat(power.cannotSuspend(false)).isEqualTo("a hub without remote wakeup cannot autosuspend ("
                + hub.resolve("wakeup") + " is missing)");
        Files.writeString(hub.resolve("wakeup"), "disabled\n");
        assertThat(power.cannotSuspend(false)).as("the child may still suspend").isNull();
        assertThat(power.cannotSuspend(true)).isEqualTo("a hub with an awake child cannot autosuspend (3-1.4)");
        Files.writeString(child.resolve("runtime_status"), "suspended\n");
        assertThat(power.cannotSuspend(true)).isNull();
    }

    @Test
    void hostPowerWithoutTheDeviceAllowsNothingAndSaysSo(@TempDir Path sysfs) throws IOException {
        Files.createDirectories(sysfs.resolve("bus/usb/devices/usb3/power"));
        HostPower power = new HostPower(sysfs, new DummyUdc("dummy_udc", "dummy_udc.0", 3));
        assertThat(power.allowSuspend()).isEqualTo(new HostPower.Allowed(0,
                "the host had no " + sysfs.resolve("bus/usb/devices/3-1") + " to suspend"));
        assertThat(power.suspended()).isFalse();
        assertThat(new HostPower(sysfs.resolve("none"), new DummyUdc("dummy_udc", "dummy_udc.0", 3)).allowSuspend()
                .devices()).isZero();
    }

    /** A kernel without runtime PM: the device is there, its power files are not, and none is made. */
    @Test
    void hostPowerNamesThePowerFileItCouldNotWrite(@TempDir Path sysfs) throws IOException {
        Path files = Files.createDirectories(sysfs.resolve("bus/usb/devices/3-1/power"));
        HostPower power = new HostPower(sysfs, new DummyUdc("dummy_udc", "dummy_udc.0", 3));
        assertThat(power.allowSuspend()).isEqualTo(new HostPower.Allowed(0,
                files.resolve("autosuspend_delay_ms") + ": no such file"));
        Files.writeString(files.resolve("autosuspend_delay_ms"), "2000");
        assertThat(power.allowSuspend())
                .isEqualTo(new HostPower.Allowed(0, files.resolve("control") + ": no such file"));
        assertThat(files).isDirectoryNotContaining("glob:**/control");
    }

    /** A file that has its value already is not written: storing a hub's delay again suspends it in the writer. */
    @Test
    void hostPowerLeavesAFileThatHasTheValueAlone(@TempDir Path sysfs) throws IOException {
        Path files = Files.createDirectories(sysfs.resolve("bus/usb/devices/3-1/power"));
        Files.writeString(files.resolve("autosuspend_delay_ms"), "0\n");
        Files.writeString(files.resolve("control"), "on\n");
        FileTime old = FileTime.fromMillis(0);
        Files.setLastModifiedTime(files.resolve("autosuspend_delay_ms"), old);
        Files.setLastModifiedTime(files.resolve("control"), old);
        assertThat(new HostPower(sysfs, new DummyUdc("dummy_udc", "dummy_udc.0", 3)).allowSuspend())
                .isEqualTo(new HostPower.Allowed(1, null));
        assertThat(Files.getLastModifiedTime(files.resolve("autosuspend_delay_ms"))).isEqualTo(old);
        assertThat(files.resolve("control")).hasContent("auto");
        assertThat(Files.getLastModifiedTime(files.resolve("control"))).isNotEqualTo(old);
    }

    /**
     * A power file whose store blocks (a FIFO nobody reads stands for a device whose lock hub_event holds): the
     * writes go on aside, the caller is not held up and is told which file holds them up; once it gives way they
     * finish.
     */
    @Test
    void hostPowerWritesAsideAndNamesTheFileThatHoldsThemUp(@TempDir Path sysfs) throws Exception {
        Path files = Files.createDirectories(sysfs.resolve("bus/usb/devices/3-1/power"));
        Path delay = files.resolve("autosuspend_delay_ms");
        Requirements.tools("mkfifo");
        assertThat(new ProcessBuilder("mkfifo", delay.toString()).inheritIO().start().waitFor()).isZero();
        Files.writeString(files.resolve("control"), "on");
        HostPower.Allowing allowing = new HostPower(sysfs, new DummyUdc("dummy_udc", "dummy_udc.0", 3))
                .allowSuspendAside();
        String busy = "could not allow suspend: 3-1 busy (" + delay + ") for 1000 ms";
        for (long deadline = System.nanoTime() + 60_000_000_000L; !allowing.busy(1000).equals(busy); ) {
            assertThat(System.nanoTime()).as(allowing.busy(1000)).isLessThan(deadline);
            Thread.sleep(1);
        }
        assertThat(allowing.result()).as("held up by the FIFO").isNull();
        // Opened both ways, the FIFO lets the writes' own open through (a read of it, or a write), then gives EOF.
        try (FileChannel fifo = FileChannel.open(delay, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            fifo.write(ByteBuffer.wrap(new byte[] {'0'}));
        }
        HostPower.Allowed allowed;
        for (long deadline = System.nanoTime() + 60_000_000_000L; (allowed = allowing.result()) == null; ) {
            assertThat(System.nanoTime()).as("the writes never finished").isLessThan(deadline);
            Thread.sleep(1);
        }
        assertThat(allowed).isEqualTo(new HostPower.Allowed(1, null));
        assertThat(files.resolve("control")).hasContent("auto");
    }
}
