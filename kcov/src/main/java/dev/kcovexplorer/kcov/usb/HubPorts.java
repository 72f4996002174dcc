package dev.kcovexplorer.kcov.usb;

/**
 * The downstream ports of an emulated hub (USB 2.0 chapter 11), so that the host's hub driver finds them
 * behaving like ports: each starts in the state the device's class answers give (answer 1 + port:
 * wPortStatus, wPortChange), SET_FEATURE and CLEAR_FEATURE change them, and a reset the host starts has
 * completed by the next status read (enabled, reset-change set) when something is connected. The device behind
 * a port runs at the speed its status says: high with PORT_HIGH_SPEED, low with PORT_LOW_SPEED, full with
 * neither, so a full- or low-speed device behind a high-speed hub (transaction translators, the full- and
 * low-speed rules of descriptor parsing) is one bit of a class answer away.
 * A fifth byte of a port's answer, when there is one, makes the port misbehave as a failing hub's does, bit by
 * bit: {@link #RESET_HANGS} a reset never ends, {@link #RESET_DISABLES} a reset ends with the port disabled,
 * {@link #RESET_DISCONNECTS} the device is gone when the reset ends (connection cleared, its change set).
 * Everything the host sends to a port behind the emulated hub reaches the same gadget on dummy_hcd, so a
 * connected port enumerates a child that answers with the device's own descriptors. A reset also ends a
 * suspend; the host's CLEAR_FEATURE(PORT_SUSPEND) of a suspended port resumes it and sets its suspend change, and
 * its SET_FEATURE(PORT_SUSPEND) of a disabled port does nothing.
 */
final class HubPorts {
    static final int GET_STATUS = 0;
    static final int CLEAR_FEATURE = 1;
    static final int SET_FEATURE = 3;
    // wPortStatus bits and the features that name them
    static final int CONNECTION = 0x0001;
    static final int ENABLE = 0x0002;
    static final int SUSPEND = 0x0004;
    static final int OVER_CURRENT = 0x0008;
    static final int RESET = 0x0010;
    static final int POWER = 0x0100;
    static final int LOW_SPEED = 0x0200;
    static final int HIGH_SPEED = 0x0400;
    static final int TEST = 0x0800;
    static final int INDICATOR = 0x1000;
    // wPortChange bits
    static final int C_CONNECTION = 0x0001;
    static final int C_ENABLE = 0x0002;
    static final int C_SUSPEND = 0x0004;
    static final int C_OVER_CURRENT = 0x0008;
    static final int C_RESET = 0x0010;
    // the misbehaviour byte of a port's answer
    static final int RESET_HANGS = 0x01;
    static final int RESET_DISABLES = 0x02;
    static final int RESET_DISCONNECTS = 0x04;
    private static final int FEATURE_ENABLE = 1;
    private static final int FEATURE_SUSPEND = 2;
    private static final int FEATURE_RESET = 4;
    private static final int FEATURE_POWER = 8;
    /** Features 16… clear change bits 0…: C_PORT_CONNECTION, C_PORT_ENABLE, C_PORT_SUSPEND, … */
    private static final int FIRST_CHANGE_FEATURE = 16;

    private final int[] status;
    private final int[] change;
    private final int[] misbehaviour;

    HubPorts(UsbDevice device) {
        byte[] hub = device.hubDescriptor();
        int ports = hub.length > 2 ? Math.min(hub[2] & 0xff, 31) : 0;
        status = new int[ports];
        change = new int[ports];
        misbehaviour = new int[ports];
        for (int p = 0; p < ports; p++) {
            byte[] initial = p + 1 < device.classAnswerCount() ? device.classAnswer(p + 1) : new byte[0];
            status[p] = initial.length >= 2 ? (initial[0] & 0xff) | (initial[1] & 0xff) << 8 : 0;
            change[p] = initial.length >= 4 ? (initial[2] & 0xff) | (initial[3] & 0xff) << 8 : 0;
            misbehaviour[p] = initial.length >= 5 ? initial[4] & 0xff : 0;
        }
    }

    /** A class request to a port (recipient "other", wIndex the port), or null when it is none this hub has. */
    ControlReply answer(SetupPacket setup) {
        int port = (setup.index() & 0xff) - 1;
        if (port < 0 || port >= status.length) {
            return null;
        }
        if (setup.in() && setup.request() == GET_STATUS) {
            byte[] reply = {(byte) status[port], (byte) (status[port] >>> 8), (byte) change[port],
                (byte) (change[port] >>> 8)};
            completeReset(port);
            return new ControlReply.Data(reply);
        }
        if (!setup.in() && (setup.request() == SET_FEATURE || setup.request() == CLEAR_FEATURE)) {
            feature(port, setup.value(), setup.request() == SET_FEATURE);
            return new ControlReply.Accept(setup.length());
        }
        return null;
    }

    private void feature(int port, int feature, boolean set) {
        if (!set && feature >= FIRST_CHANGE_FEATURE && feature < FIRST_CHANGE_FEATURE + 16) {
            change[port] &= ~(1 << (feature - FIRST_CHANGE_FEATURE));
            return;
        }
        if (!set && feature == FEATURE_SUSPEND && (status[port] & SUSPEND) != 0) {
            // A resume the host drives ends with the port out of suspend and its suspend change set (USB 2.0 11.24.2.7.2.3).
            status[port] = status[port] & ~SUSPEND;
            change[port] |= C_SUSPEND;
            return;
        }
        if (set && feature == FEATURE_SUSPEND && (status[port] & ENABLE) == 0) {
            return; // only an enabled port can be suspended (USB 2.0 11.24.2.7.1.3)
        }
        int bit = switch (feature) {
            case FEATURE_ENABLE -> ENABLE;
            case FEATURE_SUSPEND -> SUSPEND;
            case FEATURE_RESET -> RESET;
            case FEATURE_POWER -> POWER;
            default -> 0;
        };
        status[port] = set ? status[port] | bit : status[port] & ~bit;
    }

    /**
     * A reset in progress ends by the read after it began: the port is enabled if a device is there, at the
     * speed its status gave.
     */
    private void completeReset(int port) {
        if ((status[port] & RESET) == 0 || (misbehaviour[port] & RESET_HANGS) != 0) {
            return;
        }
        status[port] &= ~(RESET | SUSPEND);
        if ((misbehaviour[port] & RESET_DISCONNECTS) != 0 && (status[port] & CONNECTION) != 0) {
            status[port] &= ~(CONNECTION | ENABLE);
            change[port] |= C_CONNECTION;
        } else if ((status[port] & CONNECTION) != 0 && (misbehaviour[port] & RESET_DISABLES) == 0) {
            status[port] |= ENABLE;
        }
        change[port] |= C_RESET;
    }
}
