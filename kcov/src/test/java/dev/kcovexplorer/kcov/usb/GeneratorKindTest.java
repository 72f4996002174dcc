package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Devices generated with a chosen first kind (guided's fresh draws): well-formed by {@link WellFormedness}, within
 * their buffers, and of the kind asked for by the class codes the host matches drivers on (read here from the
 * descriptors, not from the generator); and blind's draws, which leave the kind to the stream, are what they were.
 */
class GeneratorKindTest {
    /** The bInterfaceClass of the configuration's first interface descriptor (type 4), or -1. */
    private static int firstInterfaceClass(byte[] configuration) {
        for (int at = configuration[0] & 0xff; at + 1 < configuration.length && configuration[at] != 0;
             at += configuration[at] & 0xff) {
            if (configuration[at + 1] == 4) {
                return configuration[at + 5] & 0xff;
            }
        }
        return -1;
    }

    private static int expectedClass(DeviceGenerator.Kind kind) {
        return switch (kind) {
            case HID_KEYBOARD, HID_MOUSE, HID_GENERIC -> 3;
            case MASS_STORAGE -> 8;
            case PRINTER -> 7;
            case HUB -> 9;
            case CDC_ACM -> 2;
            case VENDOR -> 0xff;
        };
    }

    @Property(tries = 2000)
    void aDeviceOfAChosenKindIsWellFormedAndOfThatKind(@ForAll long seed, @ForAll DeviceGenerator.Kind kind) {
        UsbDevice device = DeviceGenerator.generate(new SplittableRandom(seed), kind);
        assertThat(device.wellFormed()).isTrue();
        assertThat(WellFormedness.problems(device)).as(device.describe()).isEmpty();
        assertThat(device.origin()).startsWith(kind.label());
        assertThat(firstInterfaceClass(device.configuration())).as(device.describe()).isEqualTo(expectedClass(kind));
        if (kind == DeviceGenerator.Kind.HUB) {
            assertThat(device.device()[4]).as("bDeviceClass of a hub").isEqualTo((byte) 9);
            assertThat(device.hubDescriptor()).isNotEmpty();
        }
        assertThat(device.configuration().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
        assertThat(device.hidReport().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
        assertThat(device.stringCount()).isLessThanOrEqualTo(UsbDevice.MAX_STRINGS);
        assertThat(device.classAnswerCount()).isLessThanOrEqualTo(UsbDevice.MAX_CLASS_ANSWERS);
    }

    @Property(tries = 500)
    void mutantsOfAChosenKindThatClaimToBeWellFormedAre(@ForAll long seed, @ForAll DeviceGenerator.Kind kind) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = DeviceGenerator.generate(random, kind);
        for (int g = 0; g < 4; g++) {
            device = DeviceMutator.mutate(device, random);
            if (device.wellFormed()) {
                assertThat(WellFormedness.problems(device)).as(device.describe()).isEmpty();
            }
        }
    }

    /** Blind's fresh devices: the kind is the stream's first draw, the rest as a chosen kind's device. */
    @Property(tries = 500)
    void leavingTheKindToTheStreamDrawsItFirst(@ForAll long seed) {
        SplittableRandom chosen = new SplittableRandom(seed);
        DeviceGenerator.Kind kind = DeviceGenerator.Kind.values()[chosen.nextInt(DeviceGenerator.Kind.values().length)];
        assertThat(DeviceGenerator.generate(new SplittableRandom(seed))).isEqualTo(DeviceGenerator.generate(chosen, kind));
    }

    /** Left to the stream, every kind comes about as often: one in eight. */
    @Example
    void leftToTheStreamEveryKindIsAsLikely() {
        SplittableRandom random = new SplittableRandom(20);
        Map<Integer, Integer> classes = new HashMap<>();
        int draws = 8000;
        for (int i = 0; i < draws; i++) {
            classes.merge(firstInterfaceClass(DeviceGenerator.generate(random).configuration()), 1, Integer::sum);
        }
        assertThat(classes.get(9)).isBetween(draws / 8 * 8 / 10, draws / 8 * 12 / 10);   // hubs
        assertThat(classes.get(8)).isBetween(draws / 8 * 8 / 10, draws / 8 * 12 / 10);   // storage
        assertThat(classes.get(3)).isBetween(3 * draws / 8 * 8 / 10, 3 * draws / 8 * 12 / 10); // three HID kinds
    }
}
