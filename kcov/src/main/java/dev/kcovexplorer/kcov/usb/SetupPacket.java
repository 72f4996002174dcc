package dev.kcovexplorer.kcov.usb;

/**
 * A control request as it arrives on endpoint 0 ({@code struct usb_ctrlrequest}, 8 bytes little-endian).
 *
 * @param requestType bmRequestType: direction (bit 7, 1 = device to host), type (bits 5–6), recipient
 * @param request     bRequest
 * @param value       wValue
 * @param index       wIndex
 * @param length      wLength: the most bytes the host reads (IN) or the bytes it sends (OUT)
 */
public record SetupPacket(int requestType, int request, int value, int index, int length) {
    public static final int SIZE = 8;

    public static SetupPacket parse(byte[] bytes) {
        if (bytes.length < SIZE) {
            throw new IllegalArgumentException("a setup packet has 8 bytes, not " + bytes.length);
        }
        return new SetupPacket(bytes[0] & 0xff, bytes[1] & 0xff, u16(bytes, 2), u16(bytes, 4), u16(bytes, 6));
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    /** Device to host: the host reads up to {@link #length} bytes. */
    public boolean in() {
        return (requestType & 0x80) != 0;
    }

    /** 0 standard, 1 class, 2 vendor. */
    public int type() {
        return requestType >>> 5 & 3;
    }

    /** 0 device, 1 interface, 2 endpoint, 3 other. */
    public int recipient() {
        return requestType & 0x1f;
    }

    @Override
    public String toString() {
        return String.format("%02x %02x %04x %04x %d", requestType, request, value, index, length);
    }
}
