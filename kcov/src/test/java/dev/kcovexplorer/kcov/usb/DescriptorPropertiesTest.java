package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The fuzzer's inputs: every generated device is well-formed by rules written apart from the generator
 * ({@link WellFormedness}); every mutant that still claims to be is; and whatever a mutant holds and whatever
 * the host asks, no data stage is longer than the host's wLength and no part longer than its buffer.
 */
class DescriptorPropertiesTest {
    @Property(tries = 2000)
    void generatedDevicesAreWellFormed(@ForAll long seed) {
        UsbDevice device = DeviceGenerator.generate(new SplittableRandom(seed));
        assertThat(device.wellFormed()).isTrue();
        assertThat(WellFormedness.problems(device)).as(device.describe()).isEmpty();
    }

    @Property(tries = 2000)
    void mutantsThatClaimToBeWellFormedAre(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int generations) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = DeviceGenerator.generate(random);
        for (int g = 0; g < generations; g++) {
            device = DeviceMutator.mutate(device, random);
            if (device.wellFormed()) {
                assertThat(WellFormedness.problems(device)).as(device.describe()).isEmpty();
            }
        }
    }

    @Property(tries = 3000)
    void noDataStageIsLongerThanTheHostAsksOrAnyPartThanItsBuffer(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 255) int requestType, @ForAll @IntRange(min = 0, max = 255) int request,
            @ForAll @IntRange(min = 0, max = 65535) int value, @ForAll @IntRange(min = 0, max = 65535) int length) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = Mutants.mutated(DeviceGenerator.generate(random), random.nextInt(6), random);
        assertThat(device.device().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
        assertThat(device.configuration().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
        assertThat(device.hidReport().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
        assertThat(device.stringCount()).isLessThanOrEqualTo(UsbDevice.MAX_STRINGS);
        for (int i = 1; i <= device.stringCount(); i++) {
            assertThat(device.string(i).length).isLessThanOrEqualTo(UsbDevice.MAX_STRING);
        }
        assertThat(device.classAnswerCount()).isLessThanOrEqualTo(UsbDevice.MAX_CLASS_ANSWERS);
        for (int i = 0; i < device.classAnswerCount(); i++) {
            assertThat(device.classAnswer(i).length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
        }
        SetupPacket setup = new SetupPacket(requestType, request, value, 0, length);
        ControlReply reply = new ControlResponder(device).answer(setup);
        if (reply instanceof ControlReply.Data data) {
            assertThat(setup.in()).as("data is sent to the host only when it reads").isTrue();
            assertThat(data.bytes().length).isLessThanOrEqualTo(length);
        }
        if (reply instanceof ControlReply.Accept accept) {
            assertThat(setup.in()).isFalse();
            assertThat(accept.length()).isEqualTo(length);
        }
    }

    /** A sequence of generations: mutation keeps some devices well-formed and breaks others, both often. */
    @Example
    void mutationBothKeepsAndBreaksStructure() {
        SplittableRandom random = new SplittableRandom(5);
        int kept = 0;
        int broken = 0;
        for (int i = 0; i < 2000; i++) {
            UsbDevice mutant = DeviceMutator.mutate(DeviceGenerator.generate(random), random);
            if (mutant.wellFormed()) {
                kept++;
            } else if (!WellFormedness.problems(mutant).isEmpty()) {
                broken++;
            }
        }
        assertThat(kept).isGreaterThan(300);
        assertThat(broken).isGreaterThan(300);
    }

    @Example
    void theEnumerationRequestsGetTheDescriptorsCutToWhatTheHostReads() {
        UsbDevice device = DeviceGenerator.generate(new SplittableRandom(11));
        ControlResponder responder = new ControlResponder(device);
        // usb_new_device reads the first 8 bytes of the device descriptor, then all 18, then the configuration's
        // header and then all of it.
        assertThat(data(responder.answer(new SetupPacket(0x80, 6, 0x0100, 0, 8))))
                .isEqualTo(java.util.Arrays.copyOf(device.device(), 8));
        assertThat(data(responder.answer(new SetupPacket(0x80, 6, 0x0100, 0, 18)))).isEqualTo(device.device());
        assertThat(data(responder.answer(new SetupPacket(0x80, 6, 0x0200, 0, 9))))
                .isEqualTo(java.util.Arrays.copyOf(device.configuration(), 9));
        assertThat(data(responder.answer(new SetupPacket(0x80, 6, 0x0200, 0, 0xffff))))
                .isEqualTo(device.configuration());
        assertThat(data(responder.answer(new SetupPacket(0x80, 6, 0x0300, 0, 255)))).containsExactly(4, 3, 9, 4);
        assertThat(responder.answer(new SetupPacket(0x80, 6, 0x0300 | device.stringCount() + 1, 0x0409, 255)))
                .isInstanceOf(ControlReply.Stall.class);
        assertThat(responder.answer(new SetupPacket(0x00, 9, 1, 0, 0))).isInstanceOf(ControlReply.Configure.class);
        assertThat(responder.configuration()).isEqualTo(1);
    }

    @Example
    void aDeviceClaimingTwoConfigurationsHasTwo() {
        UsbDevice one = DeviceGenerator.generate(new SplittableRandom(3));
        byte[] device = one.device();
        device[17] = 2;
        UsbDevice two = one.with(device, null, null, null, null, null, null, false, "two configurations");
        ControlResponder responder = new ControlResponder(two);
        byte[] second = data(responder.answer(new SetupPacket(0x80, 6, 0x0201, 0, 0xffff)));
        assertThat(second[5]).as("bConfigurationValue").isEqualTo((byte) 2);
        assertThat(java.util.Arrays.copyOfRange(second, 6, second.length))
                .isEqualTo(java.util.Arrays.copyOfRange(one.configuration(), 6, second.length));
        assertThat(responder.answer(new SetupPacket(0x80, 6, 0x0202, 0, 0xffff))).isInstanceOf(ControlReply.Stall.class);
    }

    /**
     * A device that is no hub gets its class answers for class and vendor reads one after the other, the last
     * again once they run out; a class GET_STATUS of the device is one of those reads (only a hub's is its status).
     */
    @Example
    void classAndVendorReadsOfADeviceThatIsNoHubGetTheAnswersInTurn() {
        UsbDevice printer = new UsbDevice(new byte[0], new byte[0], java.util.List.of(), new byte[0], new byte[0],
                new byte[0], java.util.List.of(new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5, 6}), false,
                "printer");
        ControlResponder responder = new ControlResponder(printer);
        assertThat(data(responder.answer(new SetupPacket(0xa1, 0, 0, 0, 64)))).containsExactly(1, 2);
        assertThat(data(responder.answer(new SetupPacket(0xa0, 0, 0, 0, 4)))).containsExactly(3);
        assertThat(data(responder.answer(new SetupPacket(0xc0, 1, 0, 0, 64)))).containsExactly(4, 5, 6);
        assertThat(data(responder.answer(new SetupPacket(0xa1, 1, 0, 0, 2)))).as("the last again, cut to wLength")
                .containsExactly(4, 5);
    }

    /** A hub's descriptor, its own status (every time) and its port's, and a reset of the port. */
    @Example
    void aHubsDescriptorAndStatusAreAnsweredAndItsPortsActLikePorts() {
        UsbDevice hub = new UsbDevice(new byte[0], new byte[0], java.util.List.of(), new byte[0], new byte[0],
                new byte[] {9, 0x29, 1, 0, 0, 1, 0, 0, (byte) 0xff},
                java.util.List.of(new byte[] {0, 0, 0, 0}, new byte[] {1, 5, 1, 0}), false, "hub");
        ControlResponder responder = new ControlResponder(hub);
        SetupPacket portStatus = new SetupPacket(0xa3, 0, 0, 1, 4);
        assertThat(data(responder.answer(new SetupPacket(0xa0, 6, 0x2900, 0, 255)))).isEqualTo(hub.hubDescriptor());
        assertThat(data(responder.answer(new SetupPacket(0xa0, 0, 0, 0, 4)))).containsExactly(0, 0, 0, 0);
        assertThat(data(responder.answer(portStatus))).containsExactly(1, 5, 1, 0);
        assertThat(data(responder.answer(portStatus))).containsExactly(1, 5, 1, 0);
        assertThat(data(responder.answer(new SetupPacket(0xa0, 0, 0, 0, 4)))).containsExactly(0, 0, 0, 0);
        // The port behind the hub: a reset the host starts has ended by the read after, the port enabled.
        assertThat(responder.answer(new SetupPacket(0x23, 1, 16, 1, 0))).isEqualTo(new ControlReply.Accept(0));
        assertThat(responder.answer(new SetupPacket(0x23, 3, 4, 1, 0))).isEqualTo(new ControlReply.Accept(0));
        assertThat(data(responder.answer(portStatus))).containsExactly(0x11, 5, 0, 0);
        assertThat(data(responder.answer(portStatus))).as("enabled, high speed, reset changed")
                .containsExactly(0x03, 0x05, 0x10, 0);
        assertThat(responder.answer(new SetupPacket(0xa3, 0, 0, 2, 4))).as("a port the hub does not have")
                .isInstanceOf(ControlReply.Data.class);
    }

    @Example
    void theRequestsAFaultNamesGetAStallOrHalfTheirDataAndTheOthersTheirAnswer() {
        UsbDevice plain = DeviceGenerator.generate(new SplittableRandom(3));
        UsbDevice flaky = plain.withFaults(java.util.List.of(new UsbDevice.Fault(1, true), new UsbDevice.Fault(2, false)),
                "fault");
        ControlResponder responder = new ControlResponder(flaky);
        SetupPacket deviceDescriptor = new SetupPacket(0x80, 6, 0x0100, 0, 64);
        assertThat(data(responder.answer(deviceDescriptor))).isEqualTo(plain.device());
        assertThat(responder.answer(deviceDescriptor)).isInstanceOf(ControlReply.Stall.class);
        assertThat(data(responder.answer(deviceDescriptor)))
                .isEqualTo(java.util.Arrays.copyOf(plain.device(), plain.device().length / 2));
        assertThat(data(responder.answer(deviceDescriptor))).isEqualTo(plain.device());
        assertThat(flaky).isNotEqualTo(plain);
        assertThat(flaky.describe()).contains("fault request 1 stall", "fault request 2 half");
    }

    @Property(tries = 300)
    void mutantsKeepTheirFaultsWithinLimits(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = DeviceGenerator.generate(random);
        for (int i = 0; i < 40; i++) {
            device = DeviceMutator.mutate(device, random);
            assertThat(device.faults().size()).isLessThanOrEqualTo(UsbDevice.MAX_FAULTS);
            assertThat(device.faults()).extracting(UsbDevice.Fault::request).doesNotHaveDuplicates()
                    .allMatch(request -> request >= 0 && request < UsbDevice.FAULT_REQUESTS);
        }
    }

    @Example
    void aPortWhoseStatusSaysLowSpeedEnablesALowSpeedDevice() {
        UsbDevice hub = new UsbDevice(new byte[0], new byte[0], java.util.List.of(), new byte[0], new byte[0],
                new byte[] {9, 0x29, 1, 0, 0, 1, 0, 0, (byte) 0xff},
                java.util.List.of(new byte[] {0, 0, 0, 0}, new byte[] {1, 3, 1, 0}), false, "hub");
        ControlResponder responder = new ControlResponder(hub);
        SetupPacket portStatus = new SetupPacket(0xa3, 0, 0, 1, 4);
        assertThat(responder.answer(new SetupPacket(0x23, 3, 4, 1, 0))).isEqualTo(new ControlReply.Accept(0));
        assertThat(data(responder.answer(portStatus))).containsExactly(0x11, 3, 1, 0);
        assertThat(data(responder.answer(portStatus))).as("enabled, low speed (0x0200), no high-speed bit")
                .containsExactly(0x03, 0x03, 0x11, 0);
    }

    private static byte[] data(ControlReply reply) {
        assertThat(reply).isInstanceOf(ControlReply.Data.class);
        return ((ControlReply.Data) reply).bytes();
    }
}
