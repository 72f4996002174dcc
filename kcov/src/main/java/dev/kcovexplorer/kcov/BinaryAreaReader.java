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

    private final ByteSource src;
    private final DumpOptions options;

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
        int count = (int) layout.count;
        if (layout.mode == TraceMode.PC) {
            run.trace(readWords(count, layout));
        } else {
            run.cmp(readCmp(count, layout));
        }
        long length = src.drainToEnd();
        checkWholeWords(length, w);
        long capacity = (length / w - 1) / layout.mode.wordsPerEntry();
        if (layout.count > capacity) {
            throw truncated(layout, length);
        }
        if (layout.count > 0 && layout.count == capacity) {
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
     * bytes 4-7 are the first PC, which is never zero. (CMP areas are 64-bit on every kernel.)
     */
    private static int guessWordSize(ByteBuffer head, int headLength) {
        if (headLength < 8) {
            return headLength == 4 ? 4 : 8;
        }
        return head.getInt(head.position() + 4) == 0 ? 8 : 4;
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
            } else {
                long type = word(head, offset, w);
                long ip = word(head, offset + 3 * w, w);
                if (Long.compareUnsigned(type, KcovAbi.KCOV_CMP_MAX_TYPE) > 0
                        || Long.compareUnsigned(ip, MIN_CODE_ADDRESS) < 0) {
                    return i;
                }
            }
        }
        return -1;
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
        long present = length < 0 ? 0 : (length / layout.wordSize - 1) / layout.mode.wordsPerEntry();
        return DumpFormatException.atOffset(src.file(), length, String.format(
                "truncated: the count word says %d %s (%d-byte words) but the file ends after %d",
                layout.count, layout.entryNoun(), layout.wordSize, present));
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
                out = Arrays.copyOf(out, (int) Math.min(count, Math.max(got + n, (long) out.length * 2)));
            }
            if (w == 8) {
                // A bulk copy: on little-endian hosts the view copies memory without per-word work.
                window.asLongBuffer().get(out, got, n);
                window.position(window.position() + n * 8);
                got += n;
            } else {
                for (int i = 0; i < n; i++) {
                    out[got++] = Integer.toUnsignedLong(window.getInt());
                }
            }
        }
        return out;
    }

    private CmpRecords readCmp(int count, Layout layout) throws IOException {
        int w = layout.wordSize;
        int recordBytes = w * KcovAbi.KCOV_WORDS_PER_CMP;
        int capacity = initialCapacity(count, recordBytes);
        byte[] types = new byte[capacity];
        long[] arg1 = new long[capacity];
        long[] arg2 = new long[capacity];
        long[] ips = new long[capacity];
        int got = 0;
        while (got < count) {
            ByteBuffer window = src.window();
            if (window.remaining() < recordBytes && !src.refill()) {
                throw truncatedStream(layout, got);
            }
            window = src.window();
            int n = Math.min(window.remaining() / recordBytes, count - got);
            if (got + n > types.length) {
                int grown = (int) Math.min(count, Math.max(got + n, (long) types.length * 2));
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
                got++;
            }
        }
        return new CmpRecords(types, arg1, arg2, ips);
    }

    private static long nextWord(ByteBuffer window, int w) {
        return w == 8 ? window.getLong() : Integer.toUnsignedLong(window.getInt());
    }

    /** Exact for plain files (their count was checked against the length); bounded for gzip. */
    private int initialCapacity(int count, int entryBytes) {
        return src.knownLength() >= 0 ? count : Math.min(count, ByteSource.WINDOW / entryBytes);
    }

    private DumpFormatException truncatedStream(Layout layout, int present) {
        return DumpFormatException.atOffset(src.file(), src.position() + src.available(), String.format(
                "truncated: the count word says %d %s (%d-byte words) but the file ends after %d",
                layout.count, layout.entryNoun(), layout.wordSize, present));
    }
}
