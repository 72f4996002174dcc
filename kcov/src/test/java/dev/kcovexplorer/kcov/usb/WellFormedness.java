package dev.kcovexplorer.kcov.usb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules a well-formed device keeps, written from the USB 2.0 (chapter 9), HID 1.11 and hub class
 * specifications for the tests, apart from the generator: lists every broken rule.
 */
final class WellFormedness {
    private final UsbDevice device;
    private final List<String> problems = new ArrayList<>();

    private WellFormedness(UsbDevice device) {
        this.device = device;
    }

    static List<String> problems(UsbDevice device) {
        WellFormedness check = new WellFormedness(device);
        check.device();
        check.configuration();
        check.strings();
        check.report();
        check.bos();
        check.hub();
        return check.problems;
    }

    private void problem(String text) {
        problems.add(text);
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static int u16(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8;
    }

    private void stringIndex(String where, int index) {
        if (index > device.stringCount()) {
            problem(where + " names string " + index + " of " + device.stringCount());
        }
    }

    private void device() {
        byte[] d = device.device();
        if (d.length != 18 || u8(d, 0) != 18 || u8(d, 1) != 1) {
            problem("device descriptor is not 18 bytes of type 1");
            return;
        }
        if (!Set.of(8, 16, 32, 64).contains(u8(d, 7))) {
            problem("bMaxPacketSize0 " + u8(d, 7));
        }
        if (u8(d, 17) != 1) {
            problem("bNumConfigurations " + u8(d, 17) + " for the one configuration served");
        }
        for (int i = 14; i <= 16; i++) {
            stringIndex("device field " + i, u8(d, i));
        }
    }

    private void configuration() {
        byte[] c = device.configuration();
        if (c.length < 9 || u8(c, 0) != 9 || u8(c, 1) != 2) {
            problem("no 9-byte configuration descriptor first");
            return;
        }
        if (u16(c, 2) != c.length) {
            problem("wTotalLength " + u16(c, 2) + " of a " + c.length + "-byte blob");
        }
        stringIndex("iConfiguration", u8(c, 6));
        Set<Integer> interfaces = new HashSet<>();
        Set<String> alternateZeroEndpoints = new HashSet<>();
        Set<String> settingEndpoints = new HashSet<>();
        int expectedEndpoints = -1;
        int seenEndpoints = 0;
        int alternate = 0;
        List<int[]> associations = new ArrayList<>();
        int offset = 9;
        while (offset < c.length) {
            int length = u8(c, offset);
            if (length < 2 || offset + length > c.length) {
                problem("descriptor at " + offset + " has bLength " + length);
                return;
            }
            int type = u8(c, offset + 1);
            switch (type) {
                case 4 -> {
                    if (expectedEndpoints >= 0 && seenEndpoints != expectedEndpoints) {
                        problem("an interface with bNumEndpoints " + expectedEndpoints + " has " + seenEndpoints);
                    }
                    if (length != 9) {
                        problem("interface descriptor of " + length + " bytes");
                        return;
                    }
                    interfaces.add(u8(c, offset + 2));
                    alternate = u8(c, offset + 3);
                    expectedEndpoints = u8(c, offset + 4);
                    seenEndpoints = 0;
                    settingEndpoints.clear();
                    stringIndex("iInterface", u8(c, offset + 8));
                }
                case 5 -> {
                    if (length != 7) {
                        problem("endpoint descriptor of " + length + " bytes");
                        return;
                    }
                    seenEndpoints++;
                    int address = u8(c, offset + 2);
                    if ((address & 0x0f) == 0 || (address & 0x70) != 0) {
                        problem("endpoint address " + Integer.toHexString(address));
                    }
                    String key = Integer.toHexString(address);
                    if (!settingEndpoints.add(key)) {
                        problem("endpoint " + key + " twice in one setting");
                    }
                    if (alternate == 0 && !alternateZeroEndpoints.add(key)) {
                        problem("endpoint " + key + " in two interfaces");
                    }
                }
                case 0x21 -> {
                    if (length != 9 || u8(c, offset + 5) != 1 || u8(c, offset + 6) != 0x22) {
                        problem("HID descriptor not naming one report descriptor");
                    } else if (u16(c, offset + 7) != device.hidReport().length || device.hidReport().length == 0) {
                        problem("HID wDescriptorLength " + u16(c, offset + 7) + " for a report of "
                                + device.hidReport().length);
                    }
                }
                case 0x0b -> associations.add(new int[] {u8(c, offset + 2), u8(c, offset + 3)});
                default -> { }
            }
            offset += length;
        }
        if (expectedEndpoints >= 0 && seenEndpoints != expectedEndpoints) {
            problem("the last interface has bNumEndpoints " + expectedEndpoints + " and " + seenEndpoints);
        }
        if (u8(c, 4) != interfaces.size()) {
            problem("bNumInterfaces " + u8(c, 4) + " for " + interfaces.size() + " interfaces");
        }
        for (int[] iad : associations) {
            if (iad[1] == 0 || iad[0] + iad[1] > interfaces.size()) {
                problem("an association of interfaces " + iad[0] + "+" + iad[1]);
            }
        }
    }

    private void strings() {
        for (int i = 1; i <= device.stringCount(); i++) {
            byte[] s = device.string(i);
            if (s.length < 2 || u8(s, 0) != s.length || u8(s, 1) != 3 || s.length % 2 != 0) {
                problem("string " + i + " is not an even-length string descriptor of its bLength");
            }
        }
    }

    private void report() {
        byte[] r = device.hidReport();
        int depth = 0;
        int p = 0;
        while (p < r.length) {
            int prefix = u8(r, p);
            if (prefix == 0xfe) {
                problem("long item at " + p);
                return;
            }
            int size = (prefix & 3) == 3 ? 4 : prefix & 3;
            int tag = prefix & 0xfc;
            if (tag == 0xa0) {
                depth++;
            } else if (tag == 0xc0 && --depth < 0) {
                problem("End Collection without a Collection at " + p);
                return;
            }
            p += 1 + size;
        }
        if (p != r.length) {
            problem("the last report item runs past the end");
        }
        if (depth != 0) {
            problem(depth + " collections left open");
        }
    }

    private void bos() {
        byte[] b = device.bos();
        if (b.length == 0) {
            return;
        }
        if (b.length < 5 || u8(b, 0) != 5 || u8(b, 1) != 0x0f || u16(b, 2) != b.length) {
            problem("BOS header");
            return;
        }
        int caps = 0;
        for (int p = 5; p < b.length; p += u8(b, p)) {
            if (u8(b, p) < 3 || p + u8(b, p) > b.length || u8(b, p + 1) != 0x10) {
                problem("BOS capability at " + p);
                return;
            }
            caps++;
        }
        if (caps != u8(b, 4)) {
            problem("bNumDeviceCaps " + u8(b, 4) + " for " + caps);
        }
    }

    private void hub() {
        byte[] h = device.hubDescriptor();
        if (h.length == 0) {
            return;
        }
        if (h.length < 3 || u8(h, 0) != h.length || u8(h, 1) != 0x29 || u8(h, 2) == 0
                || h.length != 7 + 2 * (u8(h, 2) / 8 + 1)) {
            problem("hub descriptor");
        }
    }
}
