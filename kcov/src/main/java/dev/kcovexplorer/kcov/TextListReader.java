package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a text PC list: one address per line, {@code 0x} hex, bare hex or decimal (what
 * {@code kcovtrace}, the kcov documentation's example and syzkaller's {@code rawcover} print).
 * Blank lines and {@code #} comments are skipped; a {@code # pc-kind: call-site} header (which our
 * writer emits) says what the PCs are.
 *
 * <p>A bare token of digits only is ambiguous. Kernel addresses in bare hex almost always contain a
 * letter ({@code ffffffff81...}), so such tokens are decimal unless the same file has bare hex tokens
 * with letters, in which case those of up to 16 digits are read as hex too.
 */
final class TextListReader {
    private static final String KIND_HEADER = "pc-kind:";

    private final ByteSource src;
    private final DumpOptions options;
    private long[] pcs = new long[1 << 12];
    private int size;
    private long line;
    private PcKind headerKind;
    private boolean sawBareHexWithLetters;
    private int[] digitOnlyIndex = new int[0];
    private int digitOnlyCount;

    private TextListReader(ByteSource src, DumpOptions options) {
        this.src = src;
        this.options = options;
    }

    static CoverageRun read(ByteSource src, DumpOptions options) throws IOException {
        return new TextListReader(src, options).read();
    }

    private CoverageRun read() throws IOException {
        scanLines();
        if (sawBareHexWithLetters) {
            rereadDigitOnlyTokensAsHex();
        }
        long[] trace = Arrays.copyOf(pcs, size);
        pcs = null;
        DumpFormat format = options.format() == DumpFormat.RAWCOVER ? DumpFormat.RAWCOVER : DumpFormat.TEXT;
        PcKind kind = options.pcKind() != null ? options.pcKind()
                : format == DumpFormat.RAWCOVER ? PcKind.CALL_SITE
                : headerKind != null ? headerKind : PcKind.UNKNOWN;
        int wordSize = options.wordSize() != 0 ? options.wordSize() : inferWordSize(trace);
        return CoverageRun.builder(src.file(), format, TraceMode.PC).gzipped(src.gzipped())
                .wordSize(wordSize).pcKind(kind).declaredCount(trace.length).trace(trace).build();
    }

    /** 4 when every PC fits in 32 bits (a 32-bit kernel's list), else 8. */
    private int inferWordSize(long[] trace) {
        if (options.wordSize() == 4) {
            return 4;
        }
        for (long pc : trace) {
            if ((pc >>> 32) != 0) {
                return 8;
            }
        }
        return trace.length == 0 ? 8 : 4;
    }

    private void scanLines() throws IOException {
        while (true) {
            ByteBuffer window = src.window();
            int start = window.position();
            int end = indexOfNewline(window, start, window.limit());
            if (end < 0) {
                if (src.refill()) {
                    continue;
                }
                if (window.remaining() == 0) {
                    return;
                }
                if (window.remaining() == ByteSource.WINDOW) {
                    throw DumpFormatException.atLine(src.file(), line + 1, "line longer than 1 MiB, not a PC list");
                }
                end = window.limit(); // last line without a newline
                line++;
                parseLine(window, start, end);
                window.position(end);
                return;
            }
            line++;
            parseLine(window, start, end);
            window.position(end + 1);
        }
    }

    private static int indexOfNewline(ByteBuffer window, int from, int to) {
        for (int i = from; i < to; i++) {
            if (window.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void parseLine(ByteBuffer b, int start, int end) throws DumpFormatException {
        if (end > start && b.get(end - 1) == '\r') {
            end--;
        }
        int i = skipBlanks(b, start, end);
        if (i == end) {
            return;
        }
        if (b.get(i) == '#') {
            readHeader(b, i + 1, end);
            return;
        }
        int tokenEnd = i;
        while (tokenEnd < end && !isBlank(b.get(tokenEnd)) && b.get(tokenEnd) != '#') {
            tokenEnd++;
        }
        int rest = skipBlanks(b, tokenEnd, end);
        if (rest < end && b.get(rest) != '#') {
            throw DumpFormatException.atLine(src.file(), line,
                    "expected one address per line, found '" + excerpt(b, i, end) + "'");
        }
        add(parseToken(b, i, tokenEnd));
    }

    private long parseToken(ByteBuffer b, int from, int to) throws DumpFormatException {
        if (to - from > 2 && b.get(from) == '0' && (b.get(from + 1) == 'x' || b.get(from + 1) == 'X')) {
            long value = parseHex(b, from + 2, to);
            if (value == -1 && !isAllOnes(b, from + 2, to)) {
                throw badToken(b, from, to);
            }
            return value;
        }
        boolean digitsOnly = true;
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            if (c < '0' || c > '9') {
                digitsOnly = false;
                break;
            }
        }
        if (digitsOnly) {
            rememberDigitOnly();
            return parseDecimal(b, from, to);
        }
        long value = parseHex(b, from, to);
        if (value == -1 && !isAllOnes(b, from, to)) {
            throw badToken(b, from, to);
        }
        sawBareHexWithLetters = true;
        return value;
    }

    /** Hex value of [from, to), or -1 (also a legal value, see isAllOnes) when it is not hex or overflows. */
    private static long parseHex(ByteBuffer b, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(b.get(i), 16);
            if (digit < 0 || (value >>> 60) != 0) {
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static boolean isAllOnes(ByteBuffer b, int from, int to) {
        int significant = 0;
        boolean leading = true;
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            if (leading && c == '0') {
                continue;
            }
            leading = false;
            if (c != 'f' && c != 'F') {
                return false;
            }
            significant++;
        }
        return significant == 16;
    }

    private long parseDecimal(ByteBuffer b, int from, int to) throws DumpFormatException {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b.get(i) - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                throw DumpFormatException.atLine(src.file(), line,
                        "'" + excerpt(b, from, to) + "' does not fit in 64 bits");
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private void rememberDigitOnly() {
        if (digitOnlyCount == digitOnlyIndex.length) {
            int grown = Math.max(256, digitOnlyCount * 2);
            digitOnlyIndex = Arrays.copyOf(digitOnlyIndex, grown);
        }
        digitOnlyIndex[digitOnlyCount] = size;
        digitOnlyCount++;
    }

    private void rereadDigitOnlyTokensAsHex() {
        for (int k = 0; k < digitOnlyCount; k++) {
            String digits = Long.toUnsignedString(pcs[digitOnlyIndex[k]]);
            if (digits.length() <= 16) { // longer ones only fit in 64 bits as decimal
                pcs[digitOnlyIndex[k]] = Long.parseUnsignedLong(digits, 16);
            }
        }
    }

    private void readHeader(ByteBuffer b, int from, int end) {
        int i = skipBlanks(b, from, end);
        String comment = ascii(b, i, Math.min(end, i + 64)).trim();
        if (comment.regionMatches(true, 0, KIND_HEADER, 0, KIND_HEADER.length())) {
            try {
                headerKind = PcKind.parse(comment.substring(KIND_HEADER.length()));
            } catch (IllegalArgumentException e) {
                // An unknown kind in a comment is just a comment.
            }
        }
    }

    private void add(long pc) throws DumpFormatException {
        if (size == pcs.length) {
            if (size >= options.maxEntries()) {
                throw DumpFormatException.atLine(src.file(), line, String.format(
                        "more than %d PCs, the limit (--max-entries or -D%s raises it)",
                        options.maxEntries(), DumpOptions.MAX_ENTRIES_PROPERTY));
            }
            pcs = Arrays.copyOf(pcs, (int) Math.min(options.maxEntries(), Math.min(Integer.MAX_VALUE - 8, pcs.length * 2L)));
        }
        pcs[size++] = pc;
    }

    private DumpFormatException badToken(ByteBuffer b, int from, int to) {
        return DumpFormatException.atLine(src.file(), line,
                "expected an address (hex with or without 0x, or decimal), found '" + excerpt(b, from, to) + "'");
    }

    private static int skipBlanks(ByteBuffer b, int from, int end) {
        int i = from;
        while (i < end && isBlank(b.get(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\f' || c == 0x0b;
    }

    private static String excerpt(ByteBuffer b, int from, int to) {
        int end = Math.min(to, from + 40);
        StringBuilder text = new StringBuilder();
        for (int i = from; i < end; i++) {
            int c = b.get(i) & 0xff;
            text.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return end < to ? text + "…" : text.toString();
    }

    private static String ascii(ByteBuffer b, int from, int to) {
        byte[] bytes = new byte[to - from];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
