package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.live.NativeProgram;
import dev.kcovexplorer.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw-gadget binding's ioctl numbers and layouts against what gcc makes of the kernel's header. */
class RawGadgetAbiTest {
    @TempDir
    static Path workDir;
    static Map<String, String> header;

    @BeforeAll
    static void compile() throws Exception {
        Requirements.require(Files.exists(Path.of("/usr/include/linux/usb/raw_gadget.h")),
                "<linux/usb/raw_gadget.h> is not installed (apt-get install linux-libc-dev)");
        header = NativeProgram.compile(RawGadgetAbiTest.class, "raw_gadget_abi.c", workDir).run();
    }

    private static long number(String name) {
        return Long.parseUnsignedLong(header.get(name));
    }

    @Test
    void ioctlNumbersMatchTheHeader() {
        assertThat(RawGadgetAbi.INIT).isEqualTo(number("USB_RAW_IOCTL_INIT"));
        assertThat(RawGadgetAbi.RUN).isEqualTo(number("USB_RAW_IOCTL_RUN"));
        assertThat(RawGadgetAbi.EVENT_FETCH).isEqualTo(number("USB_RAW_IOCTL_EVENT_FETCH"));
        assertThat(RawGadgetAbi.EP0_WRITE).isEqualTo(number("USB_RAW_IOCTL_EP0_WRITE"));
        assertThat(RawGadgetAbi.EP0_READ).isEqualTo(number("USB_RAW_IOCTL_EP0_READ"));
        assertThat(RawGadgetAbi.CONFIGURE).isEqualTo(number("USB_RAW_IOCTL_CONFIGURE"));
        assertThat(RawGadgetAbi.VBUS_DRAW).isEqualTo(number("USB_RAW_IOCTL_VBUS_DRAW"));
        assertThat(RawGadgetAbi.EP0_STALL).isEqualTo(number("USB_RAW_IOCTL_EP0_STALL"));
        assertThat(RawGadgetAbi.EVENT_CONNECT).isEqualTo(number("USB_RAW_EVENT_CONNECT"));
        assertThat(RawGadgetAbi.EVENT_CONTROL).isEqualTo(number("USB_RAW_EVENT_CONTROL"));
    }

    @Test
    void structureLayoutsMatchTheHeader() {
        assertThat(RawGadgetAbi.INIT_SIZE).isEqualTo(number("sizeof.usb_raw_init"));
        assertThat(RawGadgetAbi.UDC_NAME_LENGTH_MAX).isEqualTo(number("offsetof.usb_raw_init.device_name"));
        assertThat(2 * RawGadgetAbi.UDC_NAME_LENGTH_MAX).isEqualTo(number("offsetof.usb_raw_init.speed"));
        assertThat(RawGadgetAbi.EVENT_HEADER_SIZE).isEqualTo(number("sizeof.usb_raw_event"));
        assertThat(4L).isEqualTo(number("offsetof.usb_raw_event.length"));
        assertThat(RawGadgetAbi.EP_IO_HEADER_SIZE).isEqualTo(number("sizeof.usb_raw_ep_io"));
        assertThat(2L).isEqualTo(number("offsetof.usb_raw_ep_io.flags"));
        assertThat(4L).isEqualTo(number("offsetof.usb_raw_ep_io.length"));
    }

    @Test
    void theSignalActionLayoutIsGlibcs() {
        assertThat(PosixSignals.SIGACTION_SIZE).isEqualTo(number("sizeof.sigaction"));
        assertThat(0L).isEqualTo(number("offsetof.sigaction.sa_handler"));
        assertThat(PosixSignals.SA_FLAGS_OFFSET).isEqualTo(number("offsetof.sigaction.sa_flags"));
    }
}
