package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.KcovAbi;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Comparison hints: a value a device holds, compared by the kernel at its own width or widened (zero- or
 * sign-extended, as kcov records the operand), is found wherever the device holds it and replaced by the other
 * operand; values are read and written here with {@link ByteBuffer} in USB's little-endian order, apart from the
 * code under test. Hints never resize a part, and a hinted device that claims to be well-formed is
 * ({@link WellFormedness}).
 */
class ComparisonHintsTest {
    private static final int[] SIZES = {1, 2, 4, 8};

    @Property(tries = 3000)
    void aComparedValueIsFoundAtEveryWidthAndReplacedByTheOtherOperand(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 2) int widthIndex, @ForAll boolean constant, @ForAll boolean swapped,
            @ForAll boolean signExtended) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = mutated(random);
        int width = 1 << widthIndex;
        List<byte[]> parts = partsOf(device);
        List<int[]> places = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            for (int offset = 0; offset + width <= parts.get(p).length; offset++) {
                places.add(new int[] {p, offset});
            }
        }
        Assume.that(!places.isEmpty());
        int[] place = places.get(random.nextInt(places.size()));
        long held = le(parts.get(place[0]), place[1], width);
        Assume.that(occurrences(parts, width, held) <= ComparisonHints.MAX_PLACES);
        long other = random.nextLong() & mask(width);
        Assume.that(other != held);
        int size = SIZES[widthIndex + random.nextInt(4 - widthIndex)];
        long operand = widened(held, width, size, signExtended);
        long otherOperand = widened(other, width, size, signExtended);
        ComparisonHints.Operands operands = new ComparisonHints.Operands();
        long type = (constant ? KcovAbi.KCOV_CMP_CONST : 0) | (long) Integer.numberOfTrailingZeros(size) << 1;
        // kcov's record: {type, arg1, arg2, ip}; with a constant, arg1 is the constant.
        long arg1 = constant || !swapped ? otherOperand : operand;
        long arg2 = constant || !swapped ? operand : otherOperand;
        operands.add(new long[] {type, arg1, arg2, 0xffffffff81234567L});

        List<ComparisonHints.Hint> hints = ComparisonHints.find(device, operands);

        ComparisonHints.Hint expected = new ComparisonHints.Hint(place[0], place[1], width, other, 0xffffffff81234567L);
        assertThat(hints).as("held 0x%x at part %d offset %d, compared as %d bytes with 0x%x", held, place[0],
                place[1], size, other).contains(expected);
        UsbDevice hinted = ComparisonHints.apply(device, expected);
        List<byte[]> after = partsOf(hinted);
        assertThat(le(after.get(place[0]), place[1], width)).isEqualTo(other);
        for (int p = 0; p < parts.size(); p++) {
            byte[] before = parts.get(p).clone();
            if (p == place[0]) {
                for (int i = 0; i < width; i++) {
                    before[place[1] + i] = (byte) (other >>> 8 * i);
                }
            }
            assertThat(after.get(p)).as("part %d", p).isEqualTo(before);
        }
    }

    @Property(tries = 1000)
    void hintedDevicesKeepTheirSizesAndAreWellFormedWhenTheyClaimToBe(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = mutated(random);
        List<byte[]> parts = partsOf(device);
        ComparisonHints.Operands operands = new ComparisonHints.Operands();
        for (int n = 0; n < 40; n++) {
            byte[] part = parts.get(random.nextInt(parts.size()));
            int width = 1 << random.nextInt(3);
            if (part.length >= width) {
                long held = le(part, random.nextInt(part.length - width + 1), width);
                operands.add(width, random.nextBoolean(), random.nextLong() & mask(width), held, n);
            }
        }
        for (ComparisonHints.Hint hint : ComparisonHints.find(device, operands)) {
            UsbDevice hinted = ComparisonHints.apply(device, hint);
            List<byte[]> after = partsOf(hinted);
            for (int p = 0; p < parts.size(); p++) {
                assertThat(after.get(p)).hasSameSizeAs(parts.get(p));
            }
            if (hinted.wellFormed()) {
                assertThat(WellFormedness.problems(hinted)).as(hint + "\n" + hinted.describe()).isEmpty();
            }
        }
    }

    /** A vendor ID compared as a u16 with a quirk table's, and as a u32 with a HID table's (hid_device_id.vendor). */
    @Example
    void aVendorIdComparedWithATablesEntryGivesTheDeviceThatVendor() {
        UsbDevice keyboard = PlugOnce.keyboard();
        ComparisonHints.Operands operands = new ComparisonHints.Operands();
        operands.add(2, false, 0x046d, 0x1d6b, 1);
        operands.add(4, false, 0x1d6b, 0x05ac, 2);
        List<ComparisonHints.Hint> hints = ComparisonHints.find(keyboard, operands);
        assertThat(hints).contains(new ComparisonHints.Hint(0, 8, 2, 0x046d, 1),
                new ComparisonHints.Hint(0, 8, 2, 0x05ac, 2));
        UsbDevice logitech = ComparisonHints.apply(keyboard, new ComparisonHints.Hint(0, 8, 2, 0x046d, 1));
        assertThat(logitech.device()[8]).isEqualTo((byte) 0x6d);
        assertThat(logitech.device()[9]).isEqualTo((byte) 0x04);
        assertThat(logitech.wellFormed()).isTrue();
        assertThat(logitech.origin()).isEqualTo("fixed keyboard > hint 0:8=0x46d");
    }

    /** A switch on a byte (case value in arg1) and a bound (a constant): the case, and the bound ± 1. */
    @Example
    void aConstantGivesItselfAndItsNeighbours() {
        UsbDevice keyboard = PlugOnce.keyboard();
        byte[] config = keyboard.configuration();
        int interval = config.length - 1; // the endpoint's bInterval, 10
        assertThat(config[interval]).isEqualTo((byte) 10);
        ComparisonHints.Operands operands = new ComparisonHints.Operands();
        operands.add(4, true, 16, 10, 7);
        List<ComparisonHints.Hint> hints = ComparisonHints.find(keyboard, operands);
        assertThat(hints).contains(new ComparisonHints.Hint(1, interval, 1, 16, 7),
                new ComparisonHints.Hint(1, interval, 1, 15, 7), new ComparisonHints.Hint(1, interval, 1, 17, 7));
        assertThat(hints).noneMatch(h -> h.value() == 10);
    }

    @Example
    void equalOperandsGiveNothing() {
        ComparisonHints.Operands operands = new ComparisonHints.Operands();
        operands.add(2, false, 0x1d6b, 0x1d6b, 1);
        assertThat(ComparisonHints.find(PlugOnce.keyboard(), operands)).isEmpty();
    }

    /**
     * The pick goes round the sites: a site with a hundred operands does not crowd out one with two; half of it
     * is for the device descriptor, more when the other parts have too few.
     */
    @Example
    void thePickTakesEverySiteInTurnAndSkipsWhatWasTried() {
        List<ComparisonHints.Hint> hints = new ArrayList<>();
        for (int v = 0; v < 100; v++) {
            hints.add(new ComparisonHints.Hint(0, 8, 2, 0x1000 + v, 1));
        }
        hints.add(new ComparisonHints.Hint(1, 20, 1, 5, 2));
        hints.add(new ComparisonHints.Hint(1, 20, 1, 6, 2));
        hints.add(new ComparisonHints.Hint(1, 21, 1, 7, 3));
        List<ComparisonHints.Hint> picked = ComparisonHints.pick(hints, 6, new SplittableRandom(1),
                h -> h.value() != 7);
        assertThat(picked).hasSize(6).doesNotHaveDuplicates()
                .contains(new ComparisonHints.Hint(1, 20, 1, 5, 2), new ComparisonHints.Hint(1, 20, 1, 6, 2))
                .noneMatch(h -> h.value() == 7);
        assertThat(picked.stream().filter(h -> h.site() == 1)).hasSize(4);
    }

    /**
     * A site comparing the vendor ID with eight table entries is a table scan; a site comparing the class with
     * one value is not, nor a switch on bMaxPacketSize0 with eight cases, nor a site comparing bcdUSB with many. A mutant that took one entry and matched makes the kernel compare its product ID anew: the
     * comparisons its parent's pass did not see hold it.
     */
    @Example
    void aTableScanIsOnePlaceComparedWithManyValuesAndAMatchOpensNewComparisons() {
        UsbDevice keyboard = PlugOnce.keyboard();
        ComparisonHints.Operands parent = new ComparisonHints.Operands();
        for (int v = 0; v < ComparisonHints.TABLE; v++) {
            parent.add(2, false, 0x0400 + v, 0x1d6b, 1);
        }
        parent.add(1, true, 9, 0, 2); // bDeviceClass against USB_CLASS_HUB
        for (int c = 0; c < ComparisonHints.TABLE; c++) {
            parent.add(1, true, 0x08 + c, 0x40, 4); // a switch on bMaxPacketSize0: its cases are constants
        }
        List<ComparisonHints.Hint> hints = ComparisonHints.find(keyboard, parent);
        for (int v = 0; v < ComparisonHints.TABLE; v++) {
            parent.add(2, false, 0x0300 + v, 0x0200, 5); // bcdUSB, not an ID, against many values
        }
        hints = ComparisonHints.find(keyboard, parent);
        assertThat(hints).anyMatch(h -> h.site() == 4 && h.offset() == 7).anyMatch(h -> h.site() == 5);
        assertThat(ComparisonHints.tableScans(hints, parent)).hasSize(ComparisonHints.TABLE)
                .allMatch(h -> h.site() == 1);

        UsbDevice matched = ComparisonHints.apply(keyboard, new ComparisonHints.Hint(0, 8, 2, 0x0403, 1));
        ComparisonHints.Operands probe = new ComparisonHints.Operands();
        for (int v = 0; v < ComparisonHints.TABLE; v++) {
            probe.add(2, false, 0x0400 + v, 0x0403, 1);
        }
        probe.add(1, true, 9, 0, 2);
        probe.add(2, false, 0x6001, 0x0104, 3); // the entry's product ID against the keyboard's
        ComparisonHints.Operands opened = probe.without(parent);
        assertThat(ComparisonHints.find(matched, opened)).contains(new ComparisonHints.Hint(0, 10, 2, 0x6001, 3));
        assertThat(opened.distinct()).isEqualTo(ComparisonHints.TABLE + 1);
    }

    /** Table scans come first, up to half of the pick, one site after another. */
    @Example
    void tableScansTakeUpToHalfThePick() {
        List<ComparisonHints.Hint> hints = new ArrayList<>();
        for (int v = 0; v < 20; v++) {
            hints.add(new ComparisonHints.Hint(0, 8, 2, 0x1000 + v, 1));
            hints.add(new ComparisonHints.Hint(1, 30, 1, v, 10 + v));
        }
        java.util.Set<ComparisonHints.Hint> tables = new java.util.HashSet<>(hints);
        tables.removeIf(h -> h.site() != 1);
        List<ComparisonHints.Hint> picked = ComparisonHints.pick(hints, tables, 8, new SplittableRandom(2), h -> true);
        assertThat(picked).hasSize(8);
        assertThat(picked.stream().filter(tables::contains)).hasSize(4);
        assertThat(picked.stream().filter(h -> h.part() == 1).map(ComparisonHints.Hint::site).distinct()).hasSize(4);
    }

    /** Records as the kernel writes them: the size in type bits 1-2, the constant flag in bit 0, repeats counted. */
    @Example
    void rawRecordsAreDecodedAsKcovWritesThem() {
        ComparisonHints.Operands operands = new ComparisonHints.Operands();
        long[] words = {KcovAbi.KCOV_CMP_CONST | 1 << 1, 0x46d, 0x1d6b, 10, 3 << 1, 1, 2, 11, 3 << 1, 1, 2, 11};
        assertThat(operands.add(words)).isTrue();
        assertThat(operands.records()).isEqualTo(3);
        assertThat(operands.distinct()).isEqualTo(2);
        assertThat(operands.add(new long[] {3 << 1, 1, 2, 11})).as("no new site").isFalse();
        assertThat(ComparisonHints.find(PlugOnce.keyboard(), operands))
                .contains(new ComparisonHints.Hint(0, 8, 2, 0x46d, 10));
    }

    private static UsbDevice mutated(SplittableRandom random) {
        return Mutants.mutated(DeviceGenerator.generate(random), random.nextInt(3), random);
    }

    /** The parts in the order hints name them, from UsbDevice's own accessors. */
    private static List<byte[]> partsOf(UsbDevice device) {
        List<byte[]> parts = new ArrayList<>(List.of(device.device(), device.configuration(), device.hidReport(),
                device.bos(), device.hubDescriptor()));
        for (int i = 1; i <= device.stringCount(); i++) {
            parts.add(device.string(i));
        }
        for (int i = 0; i < device.classAnswerCount(); i++) {
            parts.add(device.classAnswer(i));
        }
        return parts;
    }

    private static long le(byte[] bytes, int offset, int width) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, width).order(ByteOrder.LITTLE_ENDIAN);
        return switch (width) {
            case 1 -> buffer.get() & 0xffL;
            case 2 -> buffer.getShort() & 0xffffL;
            default -> buffer.getInt() & 0xffffffffL;
        };
    }

    private static int occurrences(List<byte[]> parts, int width, long value) {
        int n = 0;
        for (byte[] part : parts) {
            for (int offset = 0; offset + width <= part.length; offset++) {
                n += le(part, offset, width) == value ? 1 : 0;
            }
        }
        return n;
    }

    private static long mask(int width) {
        return width == 8 ? -1L : (1L << 8 * width) - 1;
    }

    /** A {@code width}-byte value as kcov records it in a {@code size}-byte comparison: widened, zero-extended. */
    private static long widened(long value, int width, int size, boolean signExtended) {
        long v = value;
        if (signExtended && width < 8) {
            v = value << (64 - 8 * width) >> (64 - 8 * width);
        }
        return v & mask(size);
    }
}
