package dev.kcovexplorer.kcov.usb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The USB 2.0 descriptor layouts (chapter 9, and the HID, CDC and hub class specifications) as small
 * encoders: each writes exactly its descriptor's bytes, little-endian, with bLength its own size.
 */
final class Descriptors {
    static final int DEVICE = 1;
    static final int CONFIGURATION = 2;
    static final int STRING = 3;
    static final int INTERFACE = 4;
    static final int ENDPOINT = 5;
    static final int DEVICE_QUALIFIER = 6;
    static final int BOS = 0x0f;
    static final int DEVICE_CAPABILITY = 0x10;
    static final int INTERFACE_ASSOCIATION = 0x0b;
    static final int HID = 0x21;
    static final int HID_REPORT = 0x22;
    static final int CS_INTERFACE = 0x24;
    static final int HUB = 0x29;

    static final int DEVICE_SIZE = 18;
    static final int CONFIGURATION_SIZE = 9;
    static final int INTERFACE_SIZE = 9;
    static final int ENDPOINT_SIZE = 7;
    static final int HID_SIZE = 9;
    static final int IAD_SIZE = 8;
    static final int BOS_SIZE = 5;

    private Descriptors() {
    }

    /** Bytes built in order; each put is one field. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u8(int value) {
            out.write(value & 0xff);
            return this;
        }

        Writer u16(int value) {
            out.write(value & 0xff);
            out.write(value >>> 8 & 0xff);
            return this;
        }

        Writer u32(long value) {
            return u16((int) value).u16((int) (value >>> 16));
        }

        Writer bytes(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }

    static byte[] device(int bcdUsb, int deviceClass, int subClass, int protocol, int maxPacket0, int vendor,
                         int product, int bcdDevice, int manufacturer, int productString, int serial,
                         int configurations) {
        return new Writer().u8(DEVICE_SIZE).u8(DEVICE).u16(bcdUsb).u8(deviceClass).u8(subClass).u8(protocol)
                .u8(maxPacket0).u16(vendor).u16(product).u16(bcdDevice).u8(manufacturer).u8(productString)
                .u8(serial).u8(configurations).toArray();
    }

    /** A configuration descriptor followed by {@code body}; wTotalLength covers both. */
    static byte[] configuration(int interfaces, int value, int nameString, int attributes, int maxPower, byte[] body) {
        return new Writer().u8(CONFIGURATION_SIZE).u8(CONFIGURATION).u16(CONFIGURATION_SIZE + body.length)
                .u8(interfaces).u8(value).u8(nameString).u8(attributes).u8(maxPower).bytes(body).toArray();
    }

    static byte[] iface(int number, int alternate, int endpoints, int interfaceClass, int subClass, int protocol,
                        int nameString) {
        return new Writer().u8(INTERFACE_SIZE).u8(INTERFACE).u8(number).u8(alternate).u8(endpoints)
                .u8(interfaceClass).u8(subClass).u8(protocol).u8(nameString).toArray();
    }

    static byte[] endpoint(int address, int attributes, int maxPacket, int interval) {
        return new Writer().u8(ENDPOINT_SIZE).u8(ENDPOINT).u8(address).u8(attributes).u16(maxPacket).u8(interval)
                .toArray();
    }

    static byte[] interfaceAssociation(int first, int count, int functionClass, int subClass, int protocol) {
        return new Writer().u8(IAD_SIZE).u8(INTERFACE_ASSOCIATION).u8(first).u8(count).u8(functionClass)
                .u8(subClass).u8(protocol).u8(0).toArray();
    }

    /** The HID class descriptor naming one report descriptor of {@code reportLength} bytes. */
    static byte[] hid(int bcdHid, int country, int reportLength) {
        return new Writer().u8(HID_SIZE).u8(HID).u16(bcdHid).u8(country).u8(1).u8(HID_REPORT).u16(reportLength)
                .toArray();
    }

    /** A class-specific interface descriptor (CDC functional descriptors): bLength, 0x24, subtype, body. */
    static byte[] classInterface(int subtype, byte[] body) {
        return new Writer().u8(3 + body.length).u8(CS_INTERFACE).u8(subtype).bytes(body).toArray();
    }

    /** A string descriptor of UTF-16LE text, cut to fit bLength's one byte. */
    static byte[] string(String text) {
        byte[] utf16 = text.getBytes(StandardCharsets.UTF_16LE);
        int length = Math.min(utf16.length, (UsbDevice.MAX_STRING - 2) & ~1);
        return new Writer().u8(2 + length).u8(STRING).bytes(java.util.Arrays.copyOf(utf16, length)).toArray();
    }

    /** String 0: the languages, here US English only. */
    static byte[] languages() {
        return new Writer().u8(4).u8(STRING).u16(0x0409).toArray();
    }

    /** A BOS descriptor followed by its capability descriptors. */
    static byte[] bos(byte[]... capabilities) {
        Writer body = new Writer();
        for (byte[] capability : capabilities) {
            body.bytes(capability);
        }
        byte[] caps = body.toArray();
        return new Writer().u8(BOS_SIZE).u8(BOS).u16(BOS_SIZE + caps.length).u8(capabilities.length).bytes(caps)
                .toArray();
    }

    /** The USB 2.0 extension capability (LPM support bits). */
    static byte[] usb2Extension(long attributes) {
        return new Writer().u8(7).u8(DEVICE_CAPABILITY).u8(2).u32(attributes).toArray();
    }

    /** The container ID capability: a 16-byte UUID. */
    static byte[] containerId(byte[] uuid) {
        return new Writer().u8(20).u8(DEVICE_CAPABILITY).u8(4).u8(0).bytes(uuid).toArray();
    }

    /** A USB 2.0 hub descriptor for {@code ports} ports. */
    static byte[] hub(int ports, int characteristics, int powerOnToGood, int current) {
        int bitmapBytes = ports / 8 + 1;
        Writer w = new Writer().u8(7 + 2 * bitmapBytes).u8(HUB).u8(ports).u16(characteristics).u8(powerOnToGood)
                .u8(current);
        for (int i = 0; i < bitmapBytes; i++) {
            w.u8(0); // DeviceRemovable
        }
        for (int i = 0; i < bitmapBytes; i++) {
            w.u8(0xff); // PortPwrCtrlMask, all ones as USB 2.0 asks
        }
        return w.toArray();
    }
}
