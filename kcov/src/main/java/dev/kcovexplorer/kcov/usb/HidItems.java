package dev.kcovexplorer.kcov.usb;

/** Where the items of a HID report descriptor start, by their prefix bytes (short items and long items). */
final class HidItems {
    private HidItems() {
    }

    /** Whether {@code offset} is the prefix byte of an item. */
    static boolean isPrefix(byte[] report, int offset) {
        for (int p = 0; p < report.length; p = next(report, p)) {
            if (p == offset) {
                return true;
            }
            if (p > offset) {
                return false;
            }
        }
        return false;
    }

    /** The first data byte of the item whose prefix is at {@code prefix}, or -1 when it has none. */
    static int dataOffset(byte[] report, int prefix) {
        int size = dataSize(report, prefix);
        int first = prefix + ((report[prefix] & 0xff) == 0xfe ? 3 : 1);
        return size > 0 && first < report.length ? first : -1;
    }

    /** The offset after the item at {@code p}. */
    static int next(byte[] report, int p) {
        int header = (report[p] & 0xff) == 0xfe ? 3 : 1;
        return p + header + dataSize(report, p);
    }

    private static int dataSize(byte[] report, int p) {
        int prefix = report[p] & 0xff;
        if (prefix == 0xfe) {
            return p + 1 < report.length ? report[p + 1] & 0xff : 0;
        }
        int code = prefix & 3;
        return code == 3 ? 4 : code;
    }
}
