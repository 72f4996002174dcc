package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The mutations that change how a device behaves rather than what it describes: a hub's port and hub bits, a
 * port that misbehaves on reset, a standard request refused for good, an endpoint at an extreme, and the
 * crossover of two devices. Each does what its step says and nothing else, keeps every part within its buffer,
 * and a result that claims to be well-formed is ({@link WellFormedness}).
 */
class BehaviourMutationsTest {
    @Property(tries = 1000)
    void aHubMutationChangesOneMeaningfulBitOfOneAnswer(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice hub = Mutants.mutated(DeviceGenerator.generate(random, DeviceGenerator.Kind.HUB), random.nextInt(4),
                random);
        UsbDevice mutant = DeviceMutator.hubPort(hub, random);
        assertThat(mutant.wellFormed()).isEqualTo(hub.wellFormed());
        if (mutant.wellFormed()) {
            assertThat(WellFormedness.problems(mutant)).as(mutant.describe()).isEmpty();
        }
        assertThat(mutant.classAnswerCount()).isLessThanOrEqualTo(UsbDevice.MAX_CLASS_ANSWERS);
        String step = mutant.origin().substring(mutant.origin().lastIndexOf(" > ") + 3);
        if (step.equals("class answers") || step.equals("hub descriptor")) {
            return; // a hub whose descriptor names no port gets the general answer mutation
        }
        int changed = -1;
        for (int i = 0; i < mutant.classAnswerCount(); i++) {
            byte[] before = i < hub.classAnswerCount() ? hub.classAnswer(i) : new byte[] {0, 1, 0, 0};
            if (!Arrays.equals(before, mutant.classAnswer(i)) && !(i >= hub.classAnswerCount()
                    && Arrays.equals(mutant.classAnswer(i), new byte[] {0, 1, 0, 0}))) {
                assertThat(changed).as("a second answer changed: %d after %d", i, changed).isEqualTo(-1);
                changed = i;
            }
        }
        if (changed == -1) {
            assertThat(step).as("only plugging a device into a port that has one changes nothing")
                    .isEqualTo("port plug");
            return;
        }
        byte[] original = changed < hub.classAnswerCount() ? hub.classAnswer(changed) : new byte[] {0, 1, 0, 0};
        byte[] before = Arrays.copyOf(original, Math.max(5, original.length));
        byte[] after = mutant.classAnswer(changed);
        assertThat(after.length).isBetween(4, Math.max(5, original.length));
        int status = u16(after, 0);
        switch (step) {
            case "hub status" -> {
                assertThat(changed).isZero();
                assertThat(bitsChanged(before, after, 0, 4)).isEqualTo(1);
                assertThat(status ^ u16(before, 0) | u16(after, 2) ^ u16(before, 2)).isIn(1, 2);
            }
            case "port status" -> {
                assertThat(changed).isPositive();
                assertThat(bitsChanged(before, after, 0, 4)).isEqualTo(1);
                assertThat(status ^ u16(before, 0)).isIn(0x1, 0x2, 0x4, 0x8, 0x10, 0x100, 0x200, 0x400, 0x800, 0x1000);
            }
            case "port change" -> {
                assertThat(changed).isPositive();
                assertThat(bitsChanged(before, after, 0, 4)).isEqualTo(1);
                assertThat(u16(after, 2) ^ u16(before, 2)).isIn(0x1, 0x2, 0x4, 0x8, 0x10);
            }
            case "port plug" -> {
                assertThat(status & (HubPorts.CONNECTION | HubPorts.POWER))
                        .isEqualTo(HubPorts.CONNECTION | HubPorts.POWER);
                assertThat(status & (HubPorts.LOW_SPEED | HubPorts.HIGH_SPEED)).isNotEqualTo(0x600);
                assertThat(after[2] & HubPorts.C_CONNECTION).isEqualTo(HubPorts.C_CONNECTION);
            }
            case "port misbehaves" -> {
                assertThat(after.length).isGreaterThanOrEqualTo(5);
                assertThat(bitsChanged(before, after, 0, 4)).isZero();
                assertThat((before[4] ^ after[4]) & 0xff).isIn(HubPorts.RESET_HANGS, HubPorts.RESET_DISABLES,
                        HubPorts.RESET_DISCONNECTS);
            }
            default -> throw new AssertionError("unexpected step " + step);
        }
    }

    @Example
    void aPortThatMisbehavesOnResetDoesSo() {
        SetupPacket portStatus = new SetupPacket(0xa3, 0, 0, 1, 4);
        SetupPacket reset = new SetupPacket(0x23, 3, 4, 1, 0);
        // connected, powered, high speed, connect change; then each misbehaviour
        ControlResponder hangs = new ControlResponder(hub(HubPorts.RESET_HANGS));
        hangs.answer(reset);
        assertThat(data(hangs.answer(portStatus))).containsExactly(0x11, 5, 1, 0);
        assertThat(data(hangs.answer(portStatus))).as("still resetting").containsExactly(0x11, 5, 1, 0);
        ControlResponder disables = new ControlResponder(hub(HubPorts.RESET_DISABLES));
        disables.answer(reset);
        disables.answer(portStatus);
        assertThat(data(disables.answer(portStatus))).as("reset done, port not enabled")
                .containsExactly(0x01, 5, 0x11, 0);
        ControlResponder disconnects = new ControlResponder(hub(HubPorts.RESET_DISCONNECTS));
        disconnects.answer(reset);
        disconnects.answer(portStatus);
        assertThat(data(disconnects.answer(portStatus))).as("gone: connection cleared, its change and reset's set")
                .containsExactly(0x00, 5, 0x11, 0);
    }

    @Example
    void aHubsStatusReadIsAlwaysItsFirstAnswer() {
        SetupPacket hubStatus = new SetupPacket(0xa0, 0, 0, 0, 4);
        SetupPacket portStatus = new SetupPacket(0xa3, 0, 0, 1, 4);
        // the hub's status: local power lost and its change; then port 1's
        ControlResponder responder = new ControlResponder(hub(new byte[] {1, 0, 1, 0}, new byte[] {1, 5, 1, 0}));
        for (int read = 0; read < 3; read++) {
            assertThat(data(responder.answer(hubStatus))).as("hub status read %d", read).containsExactly(1, 0, 1, 0);
            assertThat(data(responder.answer(portStatus))).containsExactly(1, 5, 1, 0);
        }
    }

    @Example
    void aSuspendedPortResumesWithItsSuspendChangeAndAResetEndsASuspend() {
        SetupPacket portStatus = new SetupPacket(0xa3, 0, 0, 1, 4);
        // connected, enabled, suspended, powered, high speed; no change
        ControlResponder responder = new ControlResponder(hub(new byte[] {0, 0, 0, 0}, new byte[] {7, 5, 0, 0}));
        assertThat(data(responder.answer(portStatus))).containsExactly(7, 5, 0, 0);
        responder.answer(new SetupPacket(0x23, 1, 2, 1, 0)); // CLEAR_FEATURE(PORT_SUSPEND): the host resumes it
        assertThat(data(responder.answer(portStatus))).as("resumed, C_PORT_SUSPEND set").containsExactly(3, 5, 4, 0);
        responder.answer(new SetupPacket(0x23, 1, 18, 1, 0)); // CLEAR_FEATURE(C_PORT_SUSPEND)
        assertThat(data(responder.answer(portStatus))).containsExactly(3, 5, 0, 0);
        responder.answer(new SetupPacket(0x23, 1, 2, 1, 0));
        assertThat(data(responder.answer(portStatus))).as("not suspended: no change").containsExactly(3, 5, 0, 0);
        responder.answer(new SetupPacket(0x23, 3, 2, 1, 0)); // SET_FEATURE(PORT_SUSPEND)
        assertThat(data(responder.answer(portStatus))).containsExactly(7, 5, 0, 0);
        responder.answer(new SetupPacket(0x23, 3, 4, 1, 0)); // SET_FEATURE(PORT_RESET)
        assertThat(data(responder.answer(portStatus))).as("resetting").containsExactly(0x17, 5, 0, 0);
        assertThat(data(responder.answer(portStatus))).as("reset done: enabled, not suspended, C_PORT_RESET")
                .containsExactly(3, 5, 0x10, 0);
    }

    @Property(tries = 2000)
    void aRefusedRequestIsStalledEveryTimeAndNothingElseChanges(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 255) int requestType, @ForAll @IntRange(min = 0, max = 12) int request,
            @ForAll @IntRange(min = 0, max = 65535) int value, @ForAll @IntRange(min = 0, max = 1024) int length) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice plain = DeviceGenerator.generate(random);
        UsbDevice refusing = plain;
        for (int n = 1 + random.nextInt(6); n > 0; n--) {
            refusing = DeviceMutator.refusal(refusing, random);
        }
        assertThat(refusing.refusals().size()).isLessThanOrEqualTo(UsbDevice.MAX_REFUSALS);
        assertThat(refusing.wellFormed()).isEqualTo(plain.wellFormed());
        SetupPacket setup = new SetupPacket(requestType, request, value, 0, length);
        boolean refused = (requestType >> 5 & 3) == 0 && refusing.refusals().stream().anyMatch(r -> r.request() == request
                && (request != ControlResponder.GET_DESCRIPTOR || r.descriptor() == value >>> 8));
        ControlResponder mutant = new ControlResponder(refusing);
        ControlResponder original = new ControlResponder(plain);
        for (int i = 0; i < 2; i++) {
            ControlReply reply = mutant.answer(setup);
            ControlReply expected = original.answer(setup);
            if (refused) {
                assertThat(reply).isInstanceOf(ControlReply.Stall.class);
            } else {
                assertThat(reply).usingRecursiveComparison().isEqualTo(expected);
            }
        }
    }

    @Example
    void aDeviceRefusingItsConfigurationStallsSetConfigurationButEnumerates() {
        UsbDevice plain = DeviceGenerator.generate(new SplittableRandom(3));
        UsbDevice refusing = plain.withRefusals(List.of(new UsbDevice.Refusal(ControlResponder.SET_CONFIGURATION, 0)),
                "refuse");
        ControlResponder responder = new ControlResponder(refusing);
        assertThat(data(responder.answer(new SetupPacket(0x80, 6, 0x0100, 0, 64)))).isEqualTo(plain.device());
        assertThat(responder.answer(new SetupPacket(0x00, 9, 1, 0, 0))).isInstanceOf(ControlReply.Stall.class);
        assertThat(responder.answer(new SetupPacket(0x00, 9, 1, 0, 0))).isInstanceOf(ControlReply.Stall.class);
        assertThat(responder.configuration()).isZero();
        assertThat(refusing.describe()).contains("refuse request 9 descriptor 0");
        assertThat(refusing).isNotEqualTo(plain);
    }

    @Property(tries = 1000)
    void anEndpointMutationChangesOneFieldOfOneEndpoint(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = DeviceGenerator.generate(random);
        UsbDevice mutant = DeviceMutator.endpoint(device, random);
        if (!mutant.origin().endsWith(" > endpoint")) {
            return; // no endpoint: a configuration field instead
        }
        byte[] before = device.configuration();
        byte[] after = mutant.configuration();
        assertThat(after.length).isEqualTo(before.length);
        List<Integer> changed = new java.util.ArrayList<>();
        for (int i = 0; i < before.length; i++) {
            if (before[i] != after[i]) {
                changed.add(i);
            }
        }
        List<int[]> endpoints = DescriptorWalk.of(before).stream().filter(d -> before[d[0] + 1] == Descriptors.ENDPOINT)
                .toList();
        // Every changed byte is bmAttributes (3), wMaxPacketSize (4, 5) or bInterval (6) of one endpoint.
        assertThat(changed).allMatch(i -> endpoints.stream().anyMatch(d -> i - d[0] >= 3 && i - d[0] <= 6));
        assertThat(changed.isEmpty() || changed.get(changed.size() - 1) - changed.get(0) <= 1
                || changed.size() == 1).isTrue();
        assertThat(mutant.wellFormed()).isEqualTo(device.wellFormed());
        assertThat(WellFormedness.problems(mutant)).as(mutant.describe()).isEmpty();
    }

    @Property(tries = 3000)
    void aCrossoverStaysWithinItsBuffersAndIsWellFormedWhenItSays(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = DeviceGenerator.generate(random);
        UsbDevice donor = Mutants.mutated(DeviceGenerator.generate(random), random.nextInt(3), random);
        UsbDevice child = DeviceMutator.crossover(device, donor, random, Mutants.ANY_OPERATOR);
        assertThat(child.configuration().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
        assertThat(child.hidReport().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
        assertThat(child.classAnswerCount()).isLessThanOrEqualTo(UsbDevice.MAX_CLASS_ANSWERS);
        if (child.wellFormed()) {
            assertThat(WellFormedness.problems(child)).as(child.describe()).isEmpty();
        }
        if (!donor.wellFormed()) {
            assertThat(child.origin()).as("no interface of a malformed donor").doesNotStartWith(device.origin()
                    + " > splice");
        }
    }

    private static UsbDevice hub(int misbehaviour) {
        return hub(new byte[] {0, 0, 0, 0}, new byte[] {1, 5, 1, 0, (byte) misbehaviour});
    }

    /** A one-port hub answering {@code hubStatus} for itself and {@code port} for its port. */
    private static UsbDevice hub(byte[] hubStatus, byte[] port) {
        return new UsbDevice(new byte[0], new byte[0], List.of(), new byte[0], new byte[0],
                new byte[] {9, 0x29, 1, 0, 0, 1, 0, 0, (byte) 0xff}, List.of(hubStatus, port), false, "hub");
    }

    private static byte[] data(ControlReply reply) {
        assertThat(reply).isInstanceOf(ControlReply.Data.class);
        return ((ControlReply.Data) reply).bytes();
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static int bitsChanged(byte[] a, byte[] b, int from, int to) {
        int bits = 0;
        for (int i = from; i < to; i++) {
            bits += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return bits;
    }
}
