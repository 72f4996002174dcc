package dev.kcovexplorer.kcov.usb;

import dev.kcovexplorer.kcov.live.Ioctl;

/**
 * {@code <linux/usb/raw_gadget.h>}: the ioctl numbers, computed from the {@code _IOC} encoding, and the
 * layouts of the structures they pass (checked against gcc's view of the header in a test).
 */
final class RawGadgetAbi {
    /** {@code UDC_NAME_LENGTH_MAX}: the driver and device name fields of {@code struct usb_raw_init}. */
    static final int UDC_NAME_LENGTH_MAX = 128;
    /** {@code sizeof(struct usb_raw_init)}: two names and the speed byte. */
    static final int INIT_SIZE = 2 * UDC_NAME_LENGTH_MAX + 1;
    /** {@code sizeof(struct usb_raw_event)}: type and length, the data follows. */
    static final int EVENT_HEADER_SIZE = 8;
    /** {@code sizeof(struct usb_raw_ep_io)}: ep, flags and length, the data follows. */
    static final int EP_IO_HEADER_SIZE = 8;

    static final long INIT = Ioctl.iow('U', 0, INIT_SIZE);
    static final long RUN = Ioctl.io('U', 1);
    static final long EVENT_FETCH = Ioctl.ior('U', 2, EVENT_HEADER_SIZE);
    static final long EP0_WRITE = Ioctl.iow('U', 3, EP_IO_HEADER_SIZE);
    static final long EP0_READ = Ioctl.iowr('U', 4, EP_IO_HEADER_SIZE);
    static final long CONFIGURE = Ioctl.io('U', 9);
    static final long VBUS_DRAW = Ioctl.iow('U', 10, 4);
    static final long EP0_STALL = Ioctl.io('U', 12);

    /** {@code enum usb_raw_event_type}. */
    static final int EVENT_CONNECT = 1;
    static final int EVENT_CONTROL = 2;

    /** {@code enum usb_device_speed}: USB_SPEED_HIGH, what dummy_hcd's USB 2.0 root hub runs. */
    static final int SPEED_HIGH = 3;

    private RawGadgetAbi() {
    }
}
