package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RemoteHandleTest {

    @Test
    void encodesLikeTheKernelMacro() {
        // kcov_remote_handle(KCOV_SUBSYSTEM_USB, 1) from include/uapi/linux/kcov.h
        assertThat(RemoteHandle.usb(1).encode()).isEqualTo(0x0100000000000001L);
        assertThat(RemoteHandle.common(0x42).encode()).isEqualTo(0x42L);
        assertThat(RemoteHandle.decode(0x0100000000000003L)).isEqualTo(RemoteHandle.usb(3));
    }

    @Test
    void describesHandlesTheWayAPersonSaysThem() {
        assertThat(RemoteHandle.usb(1).describe()).isEqualTo("USB bus 1");
        assertThat(RemoteHandle.common(0x42).describe()).isEqualTo("common 0x42");
    }

    @Test
    void rejectsReservedBytesUnknownSubsystemsAndWideInstances() {
        assertThatThrownBy(() -> RemoteHandle.decode(0x0100000100000001L))
                .hasMessage("invalid kcov handle 0x0100000100000001: bytes 4-6 must be zero");
        assertThatThrownBy(() -> RemoteHandle.decode(0x0200000000000001L))
                .hasMessageContaining("unknown kcov subsystem 0x02");
        assertThatThrownBy(() -> RemoteHandle.common(0x1_0000_0000L)).hasMessageContaining("does not fit in 4 bytes");
    }

    @Test
    void parsesWhatItPrintsAndShortForms() {
        assertThat(RemoteHandle.parse("USB bus 1")).isEqualTo(RemoteHandle.usb(1));
        assertThat(RemoteHandle.parse("usb:2")).isEqualTo(RemoteHandle.usb(2));
        assertThat(RemoteHandle.parse("common 0x42")).isEqualTo(RemoteHandle.common(0x42));
        assertThat(RemoteHandle.parse("common:66")).isEqualTo(RemoteHandle.common(66));
        assertThat(RemoteHandle.parse("0x0100000000000001")).isEqualTo(RemoteHandle.usb(1));
        assertThatThrownBy(() -> RemoteHandle.parse("bluetooth 3")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void decodeInvertsEncode(@ForAll @LongRange(min = 0, max = 0xffffffffL) long instance, @ForAll boolean usb) {
        RemoteHandle handle = usb ? RemoteHandle.usb((int) instance) : RemoteHandle.common(instance);
        assertThat(RemoteHandle.decode(handle.encode())).isEqualTo(handle);
        assertThat(RemoteHandle.parse(handle.describe())).isEqualTo(handle);
    }
}
