package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The features the host sets and clears show in the statuses it reads, as USB 2.0 says: a device's remote wakeup
 * (9.4.5), a hub's own change bits (11.24.2.6), and a port's suspend, which only an enabled port takes
 * (11.24.2.7.1.3).
 */
class FeatureStateTest {
    private static byte[] data(ControlReply reply) {
        assertThat(reply).isInstanceOf(ControlReply.Data.class);
        return ((ControlReply.Data) reply).bytes();
    }

    private static UsbDevice hub(long seed) {
        return DeviceGenerator.generate(new SplittableRandom(seed), DeviceGenerator.Kind.HUB);
    }

    @Property(tries = 200)
    void getStatusReportsRemoteWakeupWhileTheHostHasItSet(@ForAll long seed, @ForAll boolean[] sets) {
        ControlResponder responder = new ControlResponder(DeviceGenerator.generate(new SplittableRandom(seed)));
        for (boolean set : sets) {
            assertThat(responder.answer(new SetupPacket(0x00, set ? 3 : 1, 1, 0, 0)))
                    .isInstanceOf(ControlReply.Accept.class);
            assertThat(data(responder.answer(new SetupPacket(0x80, 0, 0, 0, 2))))
                    .containsExactly(set ? 3 : 1, 0);
        }
    }

    @Property(tries = 200)
    void aHubsClearedChangeBitsStayCleared(@ForAll long seed, @ForAll byte change, @ForAll boolean overCurrent) {
        UsbDevice device = hub(seed);
        byte[] answers = {0x01, 0x00, change, 0x00};
        List<byte[]> classAnswers = new ArrayList<>(device.classAnswers());
        classAnswers.set(0, answers);
        device = device.with(null, null, null, null, null, null, classAnswers, true, "test");
        ControlResponder responder = new ControlResponder(device);
        SetupPacket status = new SetupPacket(0xa0, 0, 0, 0, 4);
        assertThat(data(responder.answer(status))).containsExactly(1, 0, change, 0);
        int feature = overCurrent ? 1 : 0;
        assertThat(responder.answer(new SetupPacket(0x20, 1, feature, 0, 0))).isInstanceOf(ControlReply.Accept.class);
        assertThat(data(responder.answer(status))).containsExactly(1, 0, change & ~(1 << feature), 0);
        responder.answer(new SetupPacket(0x20, 1, 1 - feature, 0, 0));
        assertThat(data(responder.answer(status))).containsExactly(1, 0, change & ~3, 0);
    }

    @Property(tries = 200)
    void aDisabledPortIsNotSuspended(@ForAll long seed, @ForAll boolean enabled) {
        UsbDevice device = hub(seed);
        List<byte[]> classAnswers = new ArrayList<>(device.classAnswers());
        while (classAnswers.size() < 2) {
            classAnswers.add(new byte[4]);
        }
        classAnswers.set(1, new byte[] {(byte) (enabled ? 0x03 : 0x01), 0x01, 0, 0});
        ControlResponder responder = new ControlResponder(device.with(null, null, null, null, null, null, classAnswers, true, "test"));
        assertThat(responder.answer(new SetupPacket(0x23, 3, 2, 1, 0))).isInstanceOf(ControlReply.Accept.class);
        int suspended = data(responder.answer(new SetupPacket(0xa3, 0, 0, 1, 4)))[0] & HubPorts.SUSPEND;
        assertThat(suspended != 0).isEqualTo(enabled);
    }
}
