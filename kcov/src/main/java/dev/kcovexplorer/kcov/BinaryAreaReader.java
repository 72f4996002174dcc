package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads a kcov area as user space sees it after {@code mmap}: little-endian words, word 0 the count,
 * then PCs (TRACE_PC) or 4-word records {type, arg1, arg2, ip} (TRACE_CMP). Words past the count are
 * the unused rest of the area and are ignored; a count that fills the area means the kernel stopped
 * writing (overflow), a count beyond the file means the file was cut short (an error).
 */
final class BinaryAreaReader {
    /** No code lives in the first 64 KiB of an address space (mmap_min_addr); PCs are above it. */
    private static final long MIN_CODE_ADDRESS = 0x10000;
    /** How many entries at the start of the area the mode detection looks at. */
    private static final int SAMPLE_ENTRIES = 4096;

    /** Word pairs a guess of the word size wants to look at before it calls itself sure. */
    private static final int SURE_SAMPLE = 8;

    private final ByteSource src;
    private final DumpOptions options;
    /** Why the detected word size may be wrong, or null. */
    private String wordSizeDoubt;

    private BinaryAreaReader(ByteSource src, DumpOptions options) {
        this.src = src;
        this.options = options;
    }

    static CoverageRun read(ByteSource src, DumpOptions options) throws IOException {
        return new BinaryAreaReader(src, options).read();
    }

    private CoverageRun read() throws IOException {
        Layout layout = detect();
        int w = layout.wordSize;
        src.window().position(src.window().position() + w);
        CoverageRun.Builder run = CoverageRun.builder(src.file(), DumpFormat.BINARY, layout.mode)
                .gzipped(src.gzipped()).wordSize(w).declaredCount(layout.count)
                .pcKind(options.pcKind() != null ? options.pcKind() : PcKind.RETURN_ADDRESS);
        if (wordSizeDoubt != null) {
            run.warning(wordSizeDoubt);
        }
        int count = (int) layout.count;
        if (layout.mode == TraceMode.PC) {
            run.trace(readWords(count, layout));
        } else {
            run.cmp(readCmp(count, layout, run));
        }
        long length = src.drainToEnd(largestArea(layout), "more than any kcov area holds within the entry limit"
                + " (--max-entries or -D" + DumpOptions.MAX_ENTRIES_PROPERTY + " raises it)");
        checkWholeWords(length, w);
        long capacity = (length / w - 1) / layout.mode.wordsPerEntry();
        if (layout.count > capacity) {
            throw truncated(layout, length);
        }
        // Most collectors write the count word and the entries only, so a count that fills the file says
        // nothing by itself. A mapped area is whole pages, and kcov stops when the next entry would not fit:
        // entries that leave less than one entry's room in the whole pages they occupy filled an area.
        // (A CMP area of 2^23 words holds 2,097,151 records and 3 spare words; our agent writes a free entry
        // after a recording the kernel did not cut short, so a file it wrote never looks full by accident.)
        long pageWords = KcovAbi.AREA_PAGE_BYTES / w;
        long spareInLastPage = Math.floorMod(-(length / w), pageWords);
        if (layout.count > 0 && layout.count == capacity && spareInLastPage < layout.mode.wordsPerEntry()) {
            run.overflowed(true).warning("area overflowed: coverage after entry " + layout.count
                    + " was dropped by the kernel");
        }
        return run.build();
    }

    private record Layout(int wordSize, TraceMode mode, long count) {
        String entryNoun() {
            return mode == TraceMode.PC ? "PCs" : "CMP records";
        }
    }

    // ---- detection -------------------------------------------------------------------------

    private Layout detect() throws DumpFormatException {
        ByteBuffer head = src.window();
        int headLength = head.remaining();
        long length = src.knownLength();
        int w = options.wordSize() != 0 ? options.wordSize() : guessWordSize(head, headLength);
        if (length >= 0) {
            checkWholeWords(length, w);
        } else if (headLength < w) {
            throw DumpFormatException.atOffset(src.file(), 0, "the file ends inside the count word");
        }
        long count = word(head, 0, w);
        if (Long.compareUnsigned(count, KcovAbi.MAX_AREA_WORDS) > 0) {
            throw DumpFormatException.atOffset(src.file(), 0, String.format(
                    "the count word is 0x%x, more than any kcov area holds (not a kcov area, or not %d-byte words)",
                    count, w));
        }
        if (count > options.maxEntries()) {
            throw DumpFormatException.atOffset(src.file(), 0, String.format(
                    "the count word says %d entries, more than the limit of %d (a corrupt count word?"
                            + " --max-entries or -D%s raises the limit)",
                    count, options.maxEntries(), DumpOptions.MAX_ENTRIES_PROPERTY));
        }
        if (options.mode() != null) {
            Layout forced = new Layout(w, options.mode(), count);
            if (!fits(forced, length)) {
                throw truncated(forced, length);
            }
            return forced;
        }
        Layout pc = new Layout(w, TraceMode.PC, count);
        Layout cmp = new Layout(w, TraceMode.CMP, count);
        long badPc = firstImplausible(pc, head, headLength);
        // The kernel writes CMP records as u64 words on every architecture: 4-byte CMP areas only when forced.
        boolean cmpPossible = w == 8 || options.wordSize() == 4;
        boolean cmpLooksRight = cmpPossible && count > 0 && firstImplausible(cmp, head, headLength) < 0;
        if (fits(pc, length) && badPc < 0) {
            return pc;
        }
        if (cmpLooksRight) {
            if (fits(cmp, length)) {
                return cmp;
            }
            throw truncated(cmp, length);
        }
        if (!fits(pc, length)) {
            throw truncated(pc, length);
        }
        long offset = w + badPc * w;
        throw DumpFormatException.atOffset(src.file(), offset, String.format(
                "PC %d is 0x%x, which is no code address: neither a TRACE_PC nor a TRACE_CMP area of %d-byte words"
                        + " (force --mode or --word-size if you know better)", badPc, word(head, (int) offset, w), w));
    }

    /**
     * A 64-bit area's count word has zero upper bytes (no area holds 2^32 words); in a 32-bit area
     * bytes 4-7 are the first PC, which is never zero. Non-zero upper bytes can also be a corrupt count
     * word of a 64-bit area, so the PCs are weighed too: the 8-byte PCs of a 64-bit area share their
     * upper halves (all code lies in one small region), while pairs of 32-bit PCs almost never do.
     * (CMP areas are 64-bit on every kernel.)
     */
    private int guessWordSize(ByteBuffer head, int headLength) throws DumpFormatException {
        if (headLength < 8) {
            return headLength == 4 ? 4 : 8;
        }
        int countHigh = head.getInt(head.position() + 4);
        PairStats pairs = PairStats.of(head, headLength);
        if (countHigh == 0) {
            // (A TRACE_CMP area's words are types and operands, no PCs: its first word after the count is a type.)
            boolean cmpLike = headLength >= 16
                    && Long.compareUnsigned(head.getLong(head.position() + 8), KcovAbi.KCOV_CMP_MAX_TYPE) <= 0;
            if (!cmpLike && pairs.sure() && pairs.shared * 2 < pairs.pairs) {
                throw DumpFormatException.atOffset(src.file(), 4, String.format(
                        "bytes 4-7 are zero as in a 64-bit area, but the words after them are no 8-byte PCs (only %d"
                                + " of %d share their upper half): a 32-bit area whose first PC is 0? (force"
                                + " --word-size if you know better)", pairs.shared, pairs.pairs));
            }
            return 8;
        }
        if (!pairs.sure()) {
            wordSizeDoubt = "word size 4 guessed from only " + pairs.pairs + " word pairs (not enough PCs to be sure;"
                    + " --word-size 8 reads it as a 64-bit area)";
            return 4;
        }
        if (pairs.lowHalvesVary && pairs.shared * 10L >= pairs.pairs * 9L) {
            throw DumpFormatException.atOffset(src.file(), 4, String.format(
                    "the upper half of the count word is 0x%08x, but the words after it are 8-byte PCs (%d of %d"
                            + " share the upper half 0x%08x): the count word is corrupt (if this really is a"
                            + " 32-bit area, force --word-size 4)", countHigh, pairs.shared, pairs.pairs, pairs.firstHigh));
        }
        return 4;
    }

    /**
     * The words after the count word read as 8-byte words: how many are non-zero, how many of those
     * share the first one's upper half, and whether their lower halves differ. Zero words are the
     * unused tail of either kind of area and weigh nothing.
     */
    private record PairStats(int pairs, int shared, int firstHigh, boolean lowHalvesVary) {
        static PairStats of(ByteBuffer head, int headLength) {
            int base = head.position();
            int sampled = Math.min((headLength - 8) / 8, SAMPLE_ENTRIES);
            int pairs = 0;
            int shared = 0;
            int firstHigh = 0;
            int firstLow = 0;
            boolean lowHalvesVary = false;
            for (int i = 0; i < sampled; i++) {
                long pair = head.getLong(base + 8 + 8 * i);
                if (pair == 0) {
                    continue;
                }
                if (pairs++ == 0) {
                    firstHigh = (int) (pair >>> 32);
                    firstLow = (int) pair;
                }
                shared += (int) (pair >>> 32) == firstHigh ? 1 : 0;
                lowHalvesVary |= (int) pair != firstLow;
            }
            return new PairStats(pairs, shared, firstHigh, lowHalvesVary);
        }

        boolean sure() {
            return pairs >= SURE_SAMPLE;
        }
    }

    private static boolean fits(Layout layout, long length) {
        if (length < 0) {
            return true; // a gzip stream: checked when its end is reached
        }
        long dataWords = length / layout.wordSize - 1;
        return layout.count <= dataWords / layout.mode.wordsPerEntry();
    }

    /** Index of the first sampled entry that cannot be what the layout says, or -1. */
    private static long firstImplausible(Layout layout, ByteBuffer head, int headLength) {
        int w = layout.wordSize;
        int entryBytes = w * layout.mode.wordsPerEntry();
        long sample = Math.min(layout.count, Math.min(SAMPLE_ENTRIES, (headLength - w) / entryBytes));
        for (int i = 0; i < sample; i++) {
            int offset = w + i * entryBytes;
            if (layout.mode == TraceMode.PC) {
                if (Long.compareUnsigned(word(head, offset, w), MIN_CODE_ADDRESS) < 0) {
                    return i;
                }
            } else if (Long.compareUnsigned(word(head, offset, w), KcovAbi.KCOV_CMP_MAX_TYPE) > 0) {
                return i;
            }
        }
        return layout.mode == TraceMode.CMP ? firstImplausibleIp(layout, head, sample) : -1;
    }

    /**
     * A CMP sample is implausible when its first record has no code ip, or when most records do not:
     * single damaged records (ip 0) are read and reported, not taken as proof the area is something else.
     */
    private static long firstImplausibleIp(Layout layout, ByteBuffer head, long sample) {
        int w = layout.wordSize;
        int entryBytes = w * layout.mode.wordsPerEntry();
        long firstBad = -1;
        long bad = 0;
        for (int i = 0; i < sample; i++) {
            if (Long.compareUnsigned(word(head, w + i * entryBytes + 3 * w, w), MIN_CODE_ADDRESS) < 0) {
                bad++;
                firstBad = firstBad < 0 ? i : firstBad;
            }
        }
        return firstBad == 0 || bad * 2 > sample ? firstBad : -1;
    }

    private static long word(ByteBuffer buffer, int offset, int w) {
        int at = buffer.position() + offset;
        return w == 8 ? buffer.getLong(at) : Integer.toUnsignedLong(buffer.getInt(at));
    }

    // ---- errors ----------------------------------------------------------------------------

    private void checkWholeWords(long length, int w) throws DumpFormatException {
        if (length == 0) {
            throw new DumpFormatException(src.file(), "empty file, expected a kcov area or a PC list");
        }
        if (length % w != 0) {
            throw DumpFormatException.atOffset(src.file(), length - length % w, String.format(
                    "the file ends inside a word (%d bytes is not a whole number of %d-byte words: truncated"
                            + " or not a kcov area)", length, w));
        }
    }

    private DumpFormatException truncated(Layout layout, long length) {
        long words = length < 0 ? 0 : length / layout.wordSize - 1;
        long present = words / layout.mode.wordsPerEntry();
        long torn = words % layout.mode.wordsPerEntry();
        return DumpFormatException.atOffset(src.file(), length, String.format(
                "truncated: the count word says %d %s (%d-byte words) but the file ends after %d%s",
                layout.count, layout.entryNoun(), layout.wordSize, present, torn == 0 ? ""
                        : String.format(", inside record %d (a torn record: %d of its %d words)", present, torn,
                        layout.mode.wordsPerEntry())));
    }

    // ---- streaming -------------------------------------------------------------------------

    private long[] readWords(int count, Layout layout) throws IOException {
        int w = layout.wordSize;
        long[] out = new long[initialCapacity(count, w)];
        int got = 0;
        while (got < count) {
            ByteBuffer window = src.window();
            if (window.remaining() < w && !src.refill()) {
                throw truncatedStream(layout, got);
            }
            window = src.window();
            int n = Math.min(window.remaining() / w, count - got);
            if (got + n > out.length) {
                int grown = (int) Math.min(count, Math.max(got + n, (long) out.length * 2));
                requireHeapFor(grown, Long.BYTES, layout);
                out = Arrays.copyOf(out, grown);
            }
            if (w == 8) {
                // A bulk copy: on little-endian hosts the view copies memory without per-word work.
                window.asLongBuffer().get(out, got, n);
                window.position(window.position() + n * 8);
            } else {
                for (int i = 0; i < n; i++) {
                    out[got + i] = Integer.toUnsignedLong(window.getInt());
                }
            }
            for (int i = got; i < got + n; i++) {
                if (Long.compareUnsigned(out[i], MIN_CODE_ADDRESS) < 0) {
                    throw noCode(layout, i, out[i]);
                }
            }
            got += n;
        }
        return out;
    }

    /**
     * The records; one whose ip is no code address is kept (the model counts it as resolving to no site)
     * and named in a warning: kcov bumps the count before it writes the record, so the last record of an
     * area read while the kernel writes can be all zeros, and a damaged record loses nothing else. Only
     * zero records from some index to the end, more than one, mean the count word is wrong: an error.
     */
    private CmpRecords readCmp(int count, Layout layout, CoverageRun.Builder run) throws IOException {
        int w = layout.wordSize;
        int recordBytes = w * KcovAbi.KCOV_WORDS_PER_CMP;
        int capacity = initialCapacity(count, recordBytes);
        byte[] types = new byte[capacity];
        long[] arg1 = new long[capacity];
        long[] arg2 = new long[capacity];
        long[] ips = new long[capacity];
        int got = 0;
        int damaged = 0;
        int firstDamaged = -1;
        int zeroTailStart = -1;
        while (got < count) {
            ByteBuffer window = src.window();
            if (window.remaining() < recordBytes && !src.refill()) {
                throw truncatedStream(layout, got);
            }
            window = src.window();
            int n = Math.min(window.remaining() / recordBytes, count - got);
            if (got + n > types.length) {
                int grown = (int) Math.min(count, Math.max(got + n, (long) types.length * 2));
                requireHeapFor(grown, 1 + 3 * Long.BYTES, layout);
                types = Arrays.copyOf(types, grown);
                arg1 = Arrays.copyOf(arg1, grown);
                arg2 = Arrays.copyOf(arg2, grown);
                ips = Arrays.copyOf(ips, grown);
            }
            for (int i = 0; i < n; i++) {
                long typeOffset = src.position();
                long type = nextWord(window, w);
                if (Long.compareUnsigned(type, KcovAbi.KCOV_CMP_MAX_TYPE) > 0) {
                    throw DumpFormatException.atOffset(src.file(), typeOffset, String.format(
                            "CMP record %d has type 0x%x, expected a kcov comparison type 0..%d",
                            got, type, KcovAbi.KCOV_CMP_MAX_TYPE));
                }
                types[got] = (byte) type;
                arg1[got] = nextWord(window, w);
                arg2[got] = nextWord(window, w);
                ips[got] = nextWord(window, w);
                if (Long.compareUnsigned(ips[got], MIN_CODE_ADDRESS) < 0) {
                    if (damaged++ == 0) {
                        firstDamaged = got;
                    }
                }
                boolean zero = types[got] == 0 && arg1[got] == 0 && arg2[got] == 0 && ips[got] == 0;
                zeroTailStart = zero ? (zeroTailStart < 0 ? got : zeroTailStart) : -1;
                got++;
            }
        }
        if (zeroTailStart >= 0 && count - zeroTailStart > 1) {
            throw noCode(layout, zeroTailStart, 0);
        }
        if (damaged > 0) {
            run.warning(String.format("CMP record %d has ip 0x%x, which is no return address (%s); %d such record%s"
                            + " resolve%s to no comparison site, the other %d are read", firstDamaged, ips[firstDamaged],
                    firstDamaged == count - 1 && damaged == 1 ? "the last record, counted but not yet written when the"
                            + " area was read" : "a damaged record", damaged, damaged == 1 ? "" : "s",
                    damaged == 1 ? "s" : "", count - damaged));
        }
        return new CmpRecords(types, arg1, arg2, ips);
    }

    private static long nextWord(ByteBuffer window, int w) {
        return w == 8 ? window.getLong() : Integer.toUnsignedLong(window.getInt());
    }

    /**
     * Arrays grow as the data arrives, from at most a window's worth: a count word is only believed as
     * far as data backs it (a sparse file or a bomb of zeros stops at its first zero, long before the
     * count says).
     */
    private static int initialCapacity(int count, int entryBytes) {
        return Math.min(count, ByteSource.WINDOW / entryBytes);
    }

    /** A clear error instead of an OutOfMemoryError when data really backs more entries than the heap holds. */
    private void requireHeapFor(long entries, int bytesPerEntry, Layout layout) throws DumpFormatException {
        long heap = Runtime.getRuntime().maxMemory();
        // The trace, then the counting and sorting that build() does next to it.
        if (entries * bytesPerEntry * 3 > heap) {
            throw DumpFormatException.atOffset(src.file(), src.position(), String.format(
                    "%d %s (the count word says %d) need more memory than this JVM's %d MiB heap:"
                            + " give it more (-Xmx) or read a smaller file",
                    entries, layout.entryNoun(), layout.count, heap >> 20));
        }
    }

    /** The bytes of the largest area the entry limit and the kernel allow, rounded up to whole pages. */
    private long largestArea(Layout layout) {
        long words = Math.min(KcovAbi.MAX_AREA_WORDS, options.maxEntries() * layout.mode.wordsPerEntry() + 1);
        long pages = (words * layout.wordSize + KcovAbi.AREA_PAGE_BYTES - 1) / KcovAbi.AREA_PAGE_BYTES;
        return pages * KcovAbi.AREA_PAGE_BYTES;
    }

    /** An entry that is no code address: the count word claims more than the area holds. */
    private DumpFormatException noCode(Layout layout, long index, long value) {
        long entryOffset = layout.wordSize + index * layout.wordSize * layout.mode.wordsPerEntry();
        long offset = layout.mode == TraceMode.PC ? entryOffset : entryOffset + 3L * layout.wordSize;
        return DumpFormatException.atOffset(src.file(), offset, String.format(
                "%s %d is 0x%x, which is no code address: the data ends after %d of the %d %s the count word"
                        + " says (a corrupt count word, or one that counts the unused zero tail of the area)",
                layout.mode == TraceMode.PC ? "PC" : "the ip of CMP record", index, value, index, layout.count,
                layout.entryNoun()));
    }

    private DumpFormatException truncatedStream(Layout layout, int present) {
        return DumpFormatException.atOffset(src.file(), src.position() + src.available(), String.format(
                "truncated: the count word says %d %s (%d-byte words) but the file ends after %d",
                layout.count, layout.entryNoun(), layout.wordSize, present));
    }
}
