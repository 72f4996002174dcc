package dev.kcovexplorer.kcov.usb;

/** What the emulated device does with a control request. */
public sealed interface ControlReply {
    /** Send these bytes (the host's wLength at most) in the data stage. */
    record Data(byte[] bytes) implements ControlReply {
    }

    /** Take the host's {@code length} bytes (0: none) and complete the status stage. */
    record Accept(int length) implements ControlReply {
    }

    /** Acknowledge SET_CONFIGURATION and switch the gadget to configured, drawing {@code maxPower} × 2 mA. */
    record Configure(int maxPower) implements ControlReply {
    }

    /** Stall endpoint 0: the request is not supported. */
    record Stall() implements ControlReply {
    }
}
