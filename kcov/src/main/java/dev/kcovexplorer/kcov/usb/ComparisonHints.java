package dev.kcovexplorer.kcov.usb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * syzkaller's comparison hints for a USB device: where the kernel compared a value the device holds with
 * something else ({@code KCOV_TRACE_CMP}: a table's vendor ID in usb_match_device, a descriptor type in a
 * switch, a bound on bInterval), the device gets the other operand in that value's place. A random ID meets a
 * quirk table's entry about never; a hint meets it on the first try. The value is looked for in every part the
 * device answers with (descriptors, strings, report, BOS, hub, class answers) as 1, 2 and 4 little-endian
 * bytes (USB's byte order throughout), also when the kernel compared it widened (a u8 field promoted to int);
 * a comparison with a constant (a switch case, a bound) also yields the constant ± 1, the two sides of a
 * {@code <}.
 */
public final class ComparisonHints {
    private static final int[] WIDTHS = {1, 2, 4};
    /**
     * A value the device holds in more places than this (a zero byte, 0x01) says nothing about which of them the
     * kernel read: substituting one at random is a random mutation, which the mutator makes anyway.
     */
    static final int MAX_PLACES = 16;
    /** Different values compared with one place at one site that make the site a table scan. */
    static final int TABLE = 8;

    private ComparisonHints() {
    }

    /**
     * One substitution: {@code width} bytes at {@code offset} of part {@code part} (see {@link #parts}) become
     * {@code value}, little-endian; {@code site} is the comparison's return address, the code that asked.
     */
    public record Hint(int part, int offset, int width, long value, long site) {
        /** The same substitution at the same place, whichever comparison it came from. */
        long key() {
            long h = part;
            h = h * 0x9E3779B97F4A7C15L + offset;
            h = h * 0x9E3779B97F4A7C15L + width;
            return h * 0x9E3779B97F4A7C15L + value;
        }
    }

    /** The distinct comparisons of a CMP-mode collection, gathered from raw 4-word records as they are drained. */
    public static final class Operands {
        private final Set<Comparison> seen = new LinkedHashSet<>();
        private final Set<Long> sites = new HashSet<>();
        private long records;

        record Comparison(int size, boolean constant, long arg1, long arg2, long site) {
        }

        /**
         * Adds raw kcov CMP words ({type, arg1, arg2, ip} per record); answers whether they hold a comparison
         * site not seen before.
         */
        public boolean add(long[] words) {
            boolean newSite = false;
            for (int i = 0; i + 3 < words.length; i += 4) {
                int type = (int) words[i];
                newSite |= add(1 << ((type >> 1) & 3), (type & 1) != 0, words[i + 1], words[i + 2], words[i + 3]);
            }
            return newSite;
        }

        /** Adds one comparison record; answers whether its site is new. */
        public boolean add(int size, boolean constant, long arg1, long arg2, long site) {
            records++;
            seen.add(new Comparison(size, constant, arg1, arg2, site));
            return sites.add(site);
        }

        /** Every record added, repeats included. */
        public long records() {
            return records;
        }

        /** The comparisons not in {@code earlier}: what a changed device made the kernel compare anew. */
        public Operands without(Operands earlier) {
            Operands out = new Operands();
            for (Comparison c : seen) {
                if (!earlier.seen.contains(c)) {
                    out.seen.add(c);
                    out.sites.add(c.site());
                    out.records++;
                }
            }
            return out;
        }

        /** The distinct comparisons. */
        public int distinct() {
            return seen.size();
        }

        Iterable<Comparison> comparisons() {
            return seen;
        }
    }

    /**
     * The device's parts a hint can write to, in a fixed order: device, configuration, report, BOS, hub, then
     * the strings, then the class answers.
     */
    static List<byte[]> parts(UsbDevice device) {
        List<byte[]> parts = new ArrayList<>(List.of(device.device(), device.configuration(), device.hidReport(),
                device.bos(), device.hubDescriptor()));
        parts.addAll(device.strings());
        parts.addAll(device.classAnswers());
        return parts;
    }

    /** Every substitution the comparisons suggest for {@code device}, each place and value once. */
    public static List<Hint> find(UsbDevice device, Operands operands) {
        List<byte[]> parts = parts(device);
        // (width, value) -> the places holding it, as part << 32 | offset
        Map<Long, List<Long>> places = new HashMap<>();
        for (int p = 0; p < parts.size(); p++) {
            byte[] bytes = parts.get(p);
            for (int width : WIDTHS) {
                for (int offset = 0; offset + width <= bytes.length; offset++) {
                    places.computeIfAbsent(place(width, read(bytes, offset, width)), k -> new ArrayList<>())
                            .add((long) p << 32 | offset);
                }
            }
        }
        Map<Long, Hint> hints = new LinkedHashMap<>();
        for (Operands.Comparison c : operands.comparisons()) {
            if (c.arg1() == c.arg2()) {
                continue;
            }
            // With a constant, arg1 is the constant (a switch case included): only arg2 can come from the device.
            suggest(c, c.arg2(), c.arg1(), places, hints);
            if (c.constant()) {
                suggest(c, c.arg2(), c.arg1() + 1, places, hints);
                suggest(c, c.arg2(), c.arg1() - 1, places, hints);
            } else {
                suggest(c, c.arg1(), c.arg2(), places, hints);
            }
        }
        return new ArrayList<>(hints.values());
    }

    /** Where the device holds {@code seen} at a width the comparison allows, {@code other} takes its place. */
    private static void suggest(Operands.Comparison c, long seen, long other, Map<Long, List<Long>> places,
                                Map<Long, Hint> hints) {
        for (int width : WIDTHS) {
            if (width > c.size() || !fits(seen, c.size(), width) || !fits(other, c.size(), width)) {
                continue;
            }
            long from = truncate(seen, width);
            long to = truncate(other, width);
            if (from == to) {
                continue;
            }
            List<Long> at = places.getOrDefault(place(width, from), List.of());
            if (at.size() > MAX_PLACES) {
                continue;
            }
            for (long where : at) {
                Hint hint = new Hint((int) (where >>> 32), (int) where, width, to, c.site());
                hints.putIfAbsent(hint.key(), hint);
            }
        }
    }

    /**
     * Whether an operand of {@code size} bytes (as kcov stores it: zero-extended) is a {@code width}-byte value,
     * zero- or sign-extended by the kernel's widening.
     */
    static boolean fits(long operand, int size, int width) {
        if (width >= size) {
            return true;
        }
        long value = size == 8 ? operand : operand & ((1L << (size * 8)) - 1);
        long signed = size == 8 ? operand : value << (64 - size * 8) >> (64 - size * 8);
        long limit = 1L << (width * 8);
        return value < limit || signed >= -(limit >> 1) && signed < 0;
    }

    private static long truncate(long value, int width) {
        return value & ((1L << (width * 8)) - 1);
    }

    private static long place(int width, long value) {
        return value << 3 | width;
    }

    /** A little-endian value of {@code width} bytes. */
    static long read(byte[] bytes, int offset, int width) {
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = value << 8 | (bytes[offset + i] & 0xff);
        }
        return value;
    }

    /** {@link #pick(List, Set, int, SplittableRandom, Predicate)} with no table scans. */
    public static List<Hint> pick(List<Hint> hints, int max, SplittableRandom random, Predicate<Hint> untried) {
        return pick(hints, Set.of(), max, random, untried);
    }

    /**
     * At most {@code max} hints that {@code untried} lets through: up to half of them from table scans
     * ({@link #tableScans}: an ID table's entries, which random values never meet), then half of what is left for
     * the device descriptor (the IDs, class and version that ID tables and quirk lists match), the rest for the
     * other parts, more of either when the other has too few; within each, one comparison site after another
     * (each site's in random order): a table compared entry by entry (hundreds of vendor IDs at one site) would
     * otherwise fill the whole pick, and a site is likelier to guard new code than its hundredth operand.
     */
    public static List<Hint> pick(List<Hint> hints, Set<Hint> tables, int max, SplittableRandom random,
                                  Predicate<Hint> untried) {
        List<Hint> scans = new ArrayList<>();
        List<Hint> device = new ArrayList<>();
        List<Hint> others = new ArrayList<>();
        for (Hint hint : hints) {
            if (untried.test(hint)) {
                (tables.contains(hint) ? scans : hint.part() == 0 ? device : others).add(hint);
            }
        }
        List<Hint> picked = new ArrayList<>(roundRobin(scans, max / 2, random));
        int left = max - picked.size();
        List<Hint> fromDevice = roundRobin(device, left, random);
        List<Hint> fromOthers = roundRobin(others, left, random);
        int deviceShare = Math.max(left / 2, left - fromOthers.size());
        picked.addAll(fromDevice.subList(0, Math.min(deviceShare, fromDevice.size())));
        picked.addAll(fromOthers.subList(0, Math.min(max - picked.size(), fromOthers.size())));
        return picked;
    }

    private static List<Hint> roundRobin(List<Hint> hints, int max, SplittableRandom random) {
        Map<Long, List<Hint>> bySite = new LinkedHashMap<>();
        for (Hint hint : hints) {
            bySite.computeIfAbsent(hint.site(), k -> new ArrayList<>()).add(hint);
        }
        List<List<Hint>> sites = new ArrayList<>(bySite.values());
        shuffle(sites, random);
        sites.forEach(site -> shuffle(site, random));
        List<Hint> picked = new ArrayList<>();
        for (int round = 0; picked.size() < max; round++) {
            boolean any = false;
            for (List<Hint> site : sites) {
                if (round < site.size() && picked.size() < max) {
                    picked.add(site.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return picked;
    }

    /** The device descriptor's IDs, two bytes each: idVendor, idProduct, bcdDevice. */
    static final int[] ID_OFFSETS = {8, 10, 12};

    /** Whether the hint writes one of the device descriptor's IDs ({@link #ID_OFFSETS}), whole. */
    public static boolean writesAnId(Hint hint) {
        return hint.part() == 0 && hint.width() == 2
                && (hint.offset() == ID_OFFSETS[0] || hint.offset() == ID_OFFSETS[1] || hint.offset() == ID_OFFSETS[2]);
    }

    /**
     * The hints that come from an ID table scan: a site that compared one of the device descriptor's IDs with at
     * least {@value #TABLE} values none of which is a compile-time constant, as usb_match_device does with every
     * vendor ID of an ID table or quirk list and hid_match_one_id with a HID driver's. Matching one entry only
     * opens the entry's next comparison (the product ID after the vendor, bcdDevice after the product), which
     * only a comparison pass of the mutant shows. Only the IDs: elsewhere a site comparing two bytes with many
     * values (a length, a port status) meets the device's bytes by chance.
     */
    public static Set<Hint> tableScans(List<Hint> hints, Operands operands) {
        Map<Long, Integer> variables = new HashMap<>();
        for (Operands.Comparison c : operands.comparisons()) {
            if (!c.constant()) {
                variables.merge(c.site(), 1, Integer::sum);
            }
        }
        Map<List<Long>, List<Hint>> byPlace = new HashMap<>();
        for (Hint hint : hints) {
            if (writesAnId(hint) && variables.getOrDefault(hint.site(), 0) >= TABLE) {
                byPlace.computeIfAbsent(List.of(hint.site(), (long) hint.offset()), k -> new ArrayList<>()).add(hint);
            }
        }
        Set<Hint> out = new HashSet<>();
        for (List<Hint> place : byPlace.values()) {
            if (place.size() >= TABLE) {
                out.addAll(place);
            }
        }
        return out;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /**
     * The device with the hint's substitution. It stays well-formed only when no byte written shapes it (see
     * {@link DeviceMutator}'s rules): an ID, a class, an attribute, a class answer.
     */
    public static UsbDevice apply(UsbDevice device, Hint hint) {
        List<byte[]> parts = parts(device);
        byte[] bytes = parts.get(hint.part());
        for (int i = 0; i < hint.width(); i++) {
            bytes[hint.offset() + i] = (byte) (hint.value() >>> (8 * i));
        }
        boolean keepsShape = !shapes(parts.get(hint.part()), hint);
        // Which part, where and what: "hint 0:8=0x46d" gave the device descriptor vendor 0x046d.
        String step = "hint " + hint.part() + ":" + hint.offset() + "=0x" + Long.toHexString(hint.value());
        int strings = device.stringCount();
        return switch (hint.part()) {
            case 0 -> device.with(bytes, null, null, null, null, null, null, keepsShape, step);
            case 1 -> device.with(null, bytes, null, null, null, null, null, keepsShape, step);
            case 2 -> device.with(null, null, null, bytes, null, null, null, false, step);
            case 3 -> device.with(null, null, null, null, bytes, null, null, false, step);
            case 4 -> device.with(null, null, null, null, null, bytes, null, keepsShape, step);
            default -> {
                if (hint.part() < 5 + strings) {
                    List<byte[]> newStrings = device.strings();
                    newStrings.set(hint.part() - 5, bytes);
                    yield device.with(null, null, newStrings, null, null, null, null, false, step);
                }
                List<byte[]> answers = device.classAnswers();
                answers.set(hint.part() - 5 - strings, bytes);
                yield device.with(null, null, null, null, null, null, answers, true, step);
            }
        };
    }

    /** Whether a byte the hint writes (into the already written {@code bytes}) is one that shapes its part. */
    private static boolean shapes(byte[] bytes, Hint hint) {
        int first = hint.offset();
        int last = hint.offset() + hint.width() - 1;
        switch (hint.part()) {
            case 0 -> {
                // bLength, the type, bNumConfigurations and the string indexes; a bMaxPacketSize0 USB forbids.
                int maxPacket = bytes.length > 7 ? bytes[7] & 0xff : 0;
                boolean badMaxPacket = first <= 7 && last >= 7 && maxPacket != 8 && maxPacket != 16
                        && maxPacket != 32 && maxPacket != 64;
                return first < 2 || last >= 14 || badMaxPacket;
            }
            case 1 -> {
                for (int[] d : DescriptorWalk.of(bytes)) {
                    for (int at = Math.max(first, d[0]); at <= Math.min(last, d[0] + d[1] - 1); at++) {
                        if (at - d[0] < 2 || DescriptorWalk.shapesBlob(bytes[d[0] + 1] & 0xff, at - d[0])) {
                            return true;
                        }
                    }
                }
                // A byte past the last descriptor the walk could read: the blob's shape is not known there.
                List<int[]> walked = DescriptorWalk.of(bytes);
                int end = walked.isEmpty() ? 0 : walked.get(walked.size() - 1)[0] + walked.get(walked.size() - 1)[1];
                return last >= end;
            }
            case 4 -> {
                return first <= 2;
            }
            default -> {
                return true;
            }
        }
    }
}
