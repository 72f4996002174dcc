package dev.kcovexplorer.kcov.usb;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/**
 * HID report descriptors by the HID 1.11 item grammar: short items whose prefix is tag, type and size, an
 * application collection around input, output and feature fields with their usage page, usages, logical
 * range, report size and count (and report IDs when there are several reports), collections balanced. The
 * boot keyboard and boot mouse layouts are the specification's (appendix B); the rest are random.
 */
final class HidReportGenerator {
    // Item tags with their type bits (tag << 4 | type << 2); the size bits are added when written.
    static final int INPUT = 0x80;
    static final int OUTPUT = 0x90;
    static final int FEATURE = 0xb0;
    static final int COLLECTION = 0xa0;
    static final int END_COLLECTION = 0xc0;
    static final int USAGE_PAGE = 0x04;
    static final int LOGICAL_MINIMUM = 0x14;
    static final int LOGICAL_MAXIMUM = 0x24;
    static final int REPORT_SIZE = 0x74;
    static final int REPORT_ID = 0x84;
    static final int REPORT_COUNT = 0x94;
    static final int USAGE = 0x08;
    static final int USAGE_MINIMUM = 0x18;
    static final int USAGE_MAXIMUM = 0x28;

    private static final int[] PAGES = {0x01, 0x07, 0x08, 0x09, 0x0c, 0x0d, 0x0f, 0x14, 0x20, 0x84, 0xff00};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private HidReportGenerator() {
    }

    /**
     * A short item with the fewest data bytes that hold {@code value} as a signed number (0, 1, 2 or 4): the
     * parser sign-extends logical and physical extents, so 255 takes two bytes.
     */
    private HidReportGenerator item(int prefix, long value) {
        int size = value == 0 ? 0 : value >= -128 && value <= 127 ? 1 : value >= -32768 && value <= 32767 ? 2 : 4;
        out.write(prefix | (size == 4 ? 3 : size));
        for (int i = 0; i < size; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /** The same item with exactly one data byte, as the boot layouts write even zeros. */
    private HidReportGenerator item1(int prefix, int value) {
        out.write(prefix | 1);
        out.write(value & 0xff);
        return this;
    }

    private HidReportGenerator end() {
        out.write(END_COLLECTION);
        return this;
    }

    private byte[] bytes() {
        return out.toByteArray();
    }

    /** The boot keyboard: modifiers, a reserved byte, five LEDs and six key codes. */
    static byte[] bootKeyboard() {
        return new HidReportGenerator()
                .item1(USAGE_PAGE, 0x01).item1(USAGE, 0x06).item1(COLLECTION, 0x01)
                .item1(USAGE_PAGE, 0x07).item1(USAGE_MINIMUM, 0xe0).item1(USAGE_MAXIMUM, 0xe7)
                .item1(LOGICAL_MINIMUM, 0).item1(LOGICAL_MAXIMUM, 1).item1(REPORT_SIZE, 1).item1(REPORT_COUNT, 8)
                .item1(INPUT, 0x02)
                .item1(REPORT_COUNT, 1).item1(REPORT_SIZE, 8).item1(INPUT, 0x01)
                .item1(REPORT_COUNT, 5).item1(REPORT_SIZE, 1).item1(USAGE_PAGE, 0x08).item1(USAGE_MINIMUM, 1)
                .item1(USAGE_MAXIMUM, 5).item1(OUTPUT, 0x02)
                .item1(REPORT_COUNT, 1).item1(REPORT_SIZE, 3).item1(OUTPUT, 0x01)
                .item1(REPORT_COUNT, 6).item1(REPORT_SIZE, 8).item1(LOGICAL_MINIMUM, 0).item1(LOGICAL_MAXIMUM, 101)
                .item1(USAGE_PAGE, 0x07).item1(USAGE_MINIMUM, 0).item1(USAGE_MAXIMUM, 101).item1(INPUT, 0x00)
                .end().bytes();
    }

    /** The boot mouse: three buttons, padding, relative X and Y. */
    static byte[] bootMouse() {
        return new HidReportGenerator()
                .item1(USAGE_PAGE, 0x01).item1(USAGE, 0x02).item1(COLLECTION, 0x01)
                .item1(USAGE, 0x01).item1(COLLECTION, 0x00)
                .item1(USAGE_PAGE, 0x09).item1(USAGE_MINIMUM, 1).item1(USAGE_MAXIMUM, 3)
                .item1(LOGICAL_MINIMUM, 0).item1(LOGICAL_MAXIMUM, 1).item1(REPORT_COUNT, 3).item1(REPORT_SIZE, 1)
                .item1(INPUT, 0x02)
                .item1(REPORT_COUNT, 1).item1(REPORT_SIZE, 5).item1(INPUT, 0x01)
                .item1(USAGE_PAGE, 0x01).item1(USAGE, 0x30).item1(USAGE, 0x31)
                .item1(LOGICAL_MINIMUM, 0x81).item1(LOGICAL_MAXIMUM, 0x7f).item1(REPORT_SIZE, 8).item1(REPORT_COUNT, 2)
                .item1(INPUT, 0x06)
                .end().end().bytes();
    }

    /**
     * A random device: one application collection (sometimes with nested physical or logical ones) holding
     * one to six fields; with several reports each gets a report ID.
     */
    static byte[] random(SplittableRandom random) {
        HidReportGenerator g = new HidReportGenerator();
        int reports = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1;
        g.item(USAGE_PAGE, PAGES[random.nextInt(PAGES.length)]).item(USAGE, 1 + random.nextInt(0x3f))
                .item(COLLECTION, 1);
        for (int r = 1; r <= reports; r++) {
            if (reports > 1) {
                g.item(REPORT_ID, r);
            }
            int nested = random.nextInt(3) == 0 ? 1 : 0;
            if (nested == 1) {
                g.item(USAGE, 1 + random.nextInt(0x3f)).item(COLLECTION, random.nextInt(3));
            }
            int fields = 1 + random.nextInt(6);
            for (int f = 0; f < fields; f++) {
                g.field(random);
            }
            if (nested == 1) {
                g.end();
            }
        }
        return g.end().bytes();
    }

    private void field(SplittableRandom random) {
        item(USAGE_PAGE, PAGES[random.nextInt(PAGES.length)]);
        if (random.nextBoolean()) {
            int min = random.nextInt(0x40);
            item(USAGE_MINIMUM, min).item(USAGE_MAXIMUM, min + random.nextInt(0x40));
        } else {
            item(USAGE, random.nextInt(0x100));
        }
        boolean signed = random.nextInt(3) == 0;
        int size = new int[] {1, 2, 4, 8, 8, 16, 12, 32}[random.nextInt(8)];
        long max = size >= 32 ? 0x7fff_ffffL : (1L << (signed ? size - 1 : size)) - 1;
        item(LOGICAL_MINIMUM, signed ? -max - 1 : 0).item(LOGICAL_MAXIMUM, max)
                .item(REPORT_SIZE, size).item(REPORT_COUNT, 1 + random.nextInt(8));
        int kind = random.nextInt(6);
        item(kind < 4 ? INPUT : kind == 4 ? OUTPUT : FEATURE, random.nextInt(0x80));
    }
}
