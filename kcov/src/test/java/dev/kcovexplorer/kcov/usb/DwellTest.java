package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's dwell ({@link UsbDevice.Dwell}): the mutation that changes it changes nothing else, the other
 * mutations keep it, a corpus file says it; and {@link HostPower} allows runtime suspend for exactly the emulated
 * device and those behind it, says which file it could not write, and reads whether the host suspended it.
 */
class DwellTest {
    @Property(tries = 1000)
    void aDwellMutationChangesTheDwellAndNothingElse(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = DeviceGenerator.generate(random);
        for (int g = random.nextInt(4); g > 0; g--) {
            device = DeviceMutator.mutate(device, random);
        }
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

    /** Mutations, crossover (a donor dwelling otherwise) and a comparison hint's substitution keep the dwell. */
    @Property(tries = 1000)
    void everyOtherMutationKeepsTheDwell(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice.Dwell dwell = UsbDevice.Dwell.values()[random.nextInt(3)];
        UsbDevice device = DeviceGenerator.generate(random).withDwell(dwell, "dwell");
        UsbDevice donor = DeviceGenerator.generate(random)
                .withDwell(UsbDevice.Dwell.values()[(dwell.ordinal() + 1) % 3], "dwell");
        for (UsbDevice mutant : new UsbDevice[] {DeviceMutator.mutate(device, random),
            DeviceMutator.crossover(device, donor, random),
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
}
