package dev.kcovexplorer.kcov.usb;

import java.util.Arrays;

/**
 * Answers endpoint-0 requests for one {@link UsbDevice}, as its firmware would: the descriptors for
 * GET_DESCRIPTOR (device, each configuration, string, BOS, a HID interface's report, a hub's class descriptor),
 * a hub's ports as {@link HubPorts} emulates them and its own status (its first class answer, less the change bits
 * the host cleared since), a status (remote wakeup as the host set or cleared it), configuration or alternate setting for the GET requests, the device's class answers for class and
 * vendor reads (one after the other), acceptance of the SET requests and of class and vendor writes, and a stall for what a device
 * may refuse; the requests the device's faults name get a stall or half their data, the standard requests it
 * refuses ({@link UsbDevice.Refusal}) a stall every time. A data stage never carries more
 * than the host's wLength.
 */
public final class ControlResponder {
    static final int GET_STATUS = 0;
    static final int CLEAR_FEATURE = 1;
    static final int SET_FEATURE = 3;
    static final int SET_ADDRESS = 5;
    static final int GET_DESCRIPTOR = 6;
    static final int GET_CONFIGURATION = 8;
    static final int SET_CONFIGURATION = 9;
    static final int GET_INTERFACE = 10;
    static final int SET_INTERFACE = 11;
    /** The device feature DEVICE_REMOTE_WAKEUP, and GET_STATUS(device)'s bit for it (USB 2.0 9.4.5). */
    private static final int REMOTE_WAKEUP = 1;
    private static final int SELF_POWERED_BIT = 1;
    private static final int REMOTE_WAKEUP_BIT = 2;
    /** The hub features C_HUB_LOCAL_POWER (0) and C_HUB_OVER_CURRENT (1) clear wHubChange's bits 0 and 1. */
    private static final int HUB_CHANGE_FEATURES = 2;

    private final UsbDevice device;
    private final HubPorts ports;
    private int configuration;
    private boolean remoteWakeup;
    /** The hub's wHubChange bits the host cleared. */
    private int hubChangeCleared;
    private int classReads;
    private int requests;

    public ControlResponder(UsbDevice device) {
        this.device = device;
        this.ports = new HubPorts(device);
    }

    /** The configuration value the host set last (0: not configured). */
    public int configuration() {
        return configuration;
    }

    public ControlReply answer(SetupPacket setup) {
        UsbDevice.Fault fault = device.fault(requests++);
        if (fault != null && fault.stall() || device.refuses(setup)) {
            return new ControlReply.Stall();
        }
        ControlReply reply = setup.type() == 1 && setup.recipient() == 3 ? ports.answer(setup) : null;
        if (reply == null && isHubChangeCleared(setup)) {
            hubChangeCleared |= 1 << setup.value();
        }
        if (reply == null) {
            reply = setup.type() == 0 ? standard(setup) : !setup.in() ? new ControlReply.Accept(setup.length())
                    : isHubDescriptor(setup) ? data(device.hubDescriptor(), setup)
                    : isHubStatus(setup) ? data(hubStatus(), setup)
                    : data(device.classAnswer(classReads++), setup);
        }
        if (reply instanceof ControlReply.Data data && data.bytes().length > setup.length()) {
            reply = new ControlReply.Data(Arrays.copyOf(data.bytes(), setup.length()));
        }
        if (fault != null && reply instanceof ControlReply.Data data && data.bytes().length > 1) {
            return new ControlReply.Data(Arrays.copyOf(data.bytes(), data.bytes().length / 2));
        }
        return reply;
    }

    /** The hub class's GET_DESCRIPTOR for its hub descriptor (USB 2.0 type 0x29, SuperSpeed 0x2a). */
    private static boolean isHubDescriptor(SetupPacket setup) {
        int type = setup.value() >>> 8;
        return setup.type() == 1 && setup.request() == GET_DESCRIPTOR && (type == Descriptors.HUB || type == 0x2a);
    }

    /**
     * A hub's GET_STATUS of itself: always its first class answer. Served in order like other class reads, the
     * second read of the hub's status got port 1's answer, the third port 2's.
     */
    private boolean isHubStatus(SetupPacket setup) {
        return isToTheHubItself(setup) && setup.request() == GET_STATUS;
    }

    /** A hub's CLEAR_FEATURE of one of its own change bits (USB 2.0 11.24.2.1). */
    private boolean isHubChangeCleared(SetupPacket setup) {
        return isToTheHubItself(setup) && !setup.in() && setup.request() == CLEAR_FEATURE
                && setup.value() < HUB_CHANGE_FEATURES;
    }

    /** A class request to a hub itself (recipient device), not to one of its ports. */
    private boolean isToTheHubItself(SetupPacket setup) {
        return device.hubDescriptor().length > 0 && setup.type() == 1 && setup.recipient() == 0;
    }

    /** The hub's first class answer (wHubStatus, wHubChange), less the change bits the host cleared. */
    private byte[] hubStatus() {
        byte[] answer = device.classAnswer(0);
        if (answer == null || answer.length < 3 || hubChangeCleared == 0) {
            return answer;
        }
        answer[2] &= (byte) ~hubChangeCleared; // a copy
        return answer;
    }

    private ControlReply standard(SetupPacket setup) {
        if (!setup.in()) {
            if (setup.recipient() == 0 && setup.value() == REMOTE_WAKEUP
                    && (setup.request() == SET_FEATURE || setup.request() == CLEAR_FEATURE)) {
                remoteWakeup = setup.request() == SET_FEATURE;
            }
            return switch (setup.request()) {
                case SET_CONFIGURATION -> {
                    configuration = setup.value() & 0xff;
                    byte[] config = device.configuration();
                    yield new ControlReply.Configure(config.length > 8 ? config[8] & 0xff : 0);
                }
                case SET_INTERFACE, SET_ADDRESS, SET_FEATURE, CLEAR_FEATURE -> new ControlReply.Accept(setup.length());
                default -> new ControlReply.Stall();
            };
        }
        return switch (setup.request()) {
            case GET_DESCRIPTOR -> descriptor(setup);
            case GET_STATUS -> data(new byte[] {setup.recipient() != 0 ? 0
                    : (byte) (SELF_POWERED_BIT | (remoteWakeup ? REMOTE_WAKEUP_BIT : 0)), 0}, setup);
            case GET_CONFIGURATION -> data(new byte[] {(byte) configuration}, setup);
            case GET_INTERFACE -> data(new byte[] {0}, setup);
            default -> new ControlReply.Stall();
        };
    }

    private ControlReply descriptor(SetupPacket setup) {
        int type = setup.value() >>> 8;
        int index = setup.value() & 0xff;
        return switch (type) {
            case Descriptors.DEVICE -> data(device.device(), setup);
            case Descriptors.CONFIGURATION -> configuration(index, setup);
            case Descriptors.STRING -> index == 0 ? data(Descriptors.languages(), setup) : data(device.string(index), setup);
            case Descriptors.BOS -> data(device.bos(), setup);
            case Descriptors.HID_REPORT -> data(device.hidReport(), setup);
            default -> new ControlReply.Stall();
        };
    }

    /**
     * Configuration {@code index} of as many as the device descriptor's bNumConfigurations says: the one
     * configuration blob, its bConfigurationValue made index + 1, so a device claiming several has several
     * for the host to choose among.
     */
    private ControlReply configuration(int index, SetupPacket setup) {
        byte[] d = device.device();
        int count = d.length > 17 ? d[17] & 0xff : 1;
        if (index >= Math.max(1, count)) {
            return new ControlReply.Stall();
        }
        byte[] config = device.configuration();
        if (index > 0 && config.length > 5) {
            config[5] = (byte) (index + 1);
        }
        return data(config, setup);
    }

    /** The bytes, or a stall when the device has none: an empty answer would be a zero-length data stage. */
    private static ControlReply data(byte[] bytes, SetupPacket setup) {
        return bytes == null || bytes.length == 0 ? new ControlReply.Stall() : new ControlReply.Data(bytes);
    }
}
