package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.FrameTable;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Writes {@code symbolize}'s output: {@code {"address":"0x…","frames":[{"function":…,"linkage":…,
 * "file":…,"line":N,"column":N}]}} per line, with {@code "module":"usbcore"} after the address when a
 * module holds it. A kernel's ~600k points make ~150 MB of JSON in which
 * the same few thousand paths and names repeat, so each distinct string is escaped and encoded once, and
 * lines are assembled as UTF-8 bytes, which go straight to standard output when the command writes there
 * (a Writer would turn them into chars and back: ~40% of answering a kernel's points from the index).
 */
final class JsonLines {
    private static final int FLUSH_AT = 1 << 16;
    private static final byte[] NULL = ascii("null");
    private static final byte[] ADDRESS = ascii("{\"address\":\"0x");
    private static final byte[] MODULE = ascii("\",\"module\":");
    private static final byte[] FRAMES_AFTER_MODULE = ascii(",\"frames\":[");
    private static final byte[] FRAMES = ascii("\",\"frames\":[");
    private static final byte[] FUNCTION = ascii("{\"function\":");
    private static final byte[] LINKAGE = ascii(",\"linkage\":");
    private static final byte[] FILE = ascii(",\"file\":");
    private static final byte[] LINE = ascii(",\"line\":");
    private static final byte[] COLUMN = ascii(",\"column\":");
    private static final byte[] END = ascii("]}\n");

    private final PrintWriter out;
    /** Standard output's bytes when {@code out} writes there, else null: the text goes through {@code out}. */
    private final OutputStream bytes;
    private byte[] buffer = new byte[FLUSH_AT + 4096];
    private int length;
    private KernelIndex quotedIndex;
    private byte[][] quotedIndexStrings;

    JsonLines(PrintWriter out) {
        this.out = out;
        this.bytes = out instanceof StandardOutput standard ? standard.bytes() : null;
    }

    /** Every address of {@code table}, escaping each string of its table once ({@code files} applied). */
    void writeAll(FrameTable table, UnaryOperator<String> files) {
        byte[][] quoted = new byte[table.stringCount()][];
        for (int i = 0; i < quoted.length; i++) {
            quoted[i] = quote(files.apply(table.string(i)));
        }
        for (int i = 0; i < table.size(); i++) {
            startLine(table.address(i), null);
            for (int f = table.frameStart(i); f < table.frameEnd(i); f++) {
                int linkage = table.linkageId(f);
                frame(f > table.frameStart(i), quoted[table.functionId(f)],
                        linkage == FrameTable.NO_LINKAGE ? NULL : quoted[linkage], quoted[table.fileId(f)],
                        table.line(f), table.column(f));
            }
            endLine();
        }
    }

    /**
     * Point {@code point}'s chain from the kernel index, escaping each of its strings once (an index and
     * its comparison sites share one string table, and so one cache).
     */
    void write(long address, KernelIndex index, int point) {
        if (quotedIndex == null || quotedIndex.rawStrings() != index.rawStrings()) {
            quotedIndex = index;
            quotedIndexStrings = new byte[index.stringCount()][];
        }
        startLine(address, null);
        for (int f = index.chainStart(point); f < index.chainEnd(point); f++) {
            int linkage = index.frameLinkageId(f);
            frame(f > index.chainStart(point), quotedIndexString(index.frameFunctionId(f)),
                    linkage == KernelIndex.NO_LINKAGE ? NULL : quotedIndexString(linkage),
                    quotedIndexString(index.frameFileId(f)), index.frameLine(f), index.frameColumn(f));
        }
        endLine();
    }

    private byte[] quotedIndexString(int id) {
        byte[] q = quotedIndexStrings[id];
        if (q == null) {
            q = quote(quotedIndex.string(id));
            quotedIndexStrings[id] = q;
        }
        return q;
    }

    void write(long address, List<Frame> frames) {
        write(address, null, frames);
    }

    /** {@code module} is the module that holds the address, or null for the kernel's own. */
    void write(long address, String module, List<Frame> frames) {
        startLine(address, module);
        boolean comma = false;
        for (Frame f : frames) {
            // Backends spell "unknown" differently; the output always says "??".
            frame(comma, quote(f.function() == null ? Symbolizer.UNKNOWN : f.function()),
                    f.linkage() == null ? NULL : quote(f.linkage()),
                    quote(f.file() == null ? Symbolizer.UNKNOWN : f.file()), f.line(), f.column());
            comma = true;
        }
        endLine();
    }

    private void startLine(long address, String module) {
        put(ADDRESS);
        putHex(address);
        if (module != null) {
            put(MODULE);
            put(quote(module));
            put(FRAMES_AFTER_MODULE);
        } else {
            put(FRAMES);
        }
    }

    private void frame(boolean comma, byte[] function, byte[] linkage, byte[] file, int line, int column) {
        if (comma) {
            put((byte) ',');
        }
        put(FUNCTION);
        put(function);
        put(LINKAGE);
        put(linkage);
        put(FILE);
        put(file);
        put(LINE);
        putDecimal(line);
        put(COLUMN);
        putDecimal(column);
        put((byte) '}');
    }

    private void endLine() {
        put(END);
        if (length >= FLUSH_AT) {
            writeBuffer();
        }
    }

    void flush() {
        writeBuffer();
        if (bytes != null) {
            try {
                bytes.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.flush();
    }

    /** Whole lines only, so a character's UTF-8 bytes are never split between two writes. */
    private void writeBuffer() {
        if (bytes != null) {
            try {
                bytes.write(buffer, 0, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            out.write(new String(buffer, 0, length, StandardCharsets.UTF_8));
        }
        length = 0;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buffer, length, b.length);
        length += b.length;
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void putHex(long value) {
        ensure(16);
        int digits = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 3) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            buffer[length++] = (byte) Character.forDigit((int) (value >>> (4 * i)) & 0xf, 16);
        }
    }

    private void putDecimal(int value) {
        if (value < 0) {
            put(ascii(Integer.toString(value)));
            return;
        }
        // Lines and columns, two per frame: one division per digit, not two.
        int digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : value < 100000 ? 5
                : Integer.toString(value).length();
        ensure(digits);
        for (int at = length + digits - 1; at >= length; at--) {
            int rest = value / 10;
            buffer[at] = (byte) ('0' + value - rest * 10);
            value = rest;
        }
        length += digits;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    private static byte[] quote(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : utf8) {
            // Jackson escapes control characters, quotes and backslashes and leaves the rest (non-ASCII
            // characters' bytes are negative) as it is; names and paths rarely need it.
            if ((b >= 0 && b < 0x20) || b == '"' || b == '\\') {
                return ('"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"').getBytes(StandardCharsets.UTF_8);
            }
        }
        byte[] quoted = new byte[utf8.length + 2];
        quoted[0] = '"';
        System.arraycopy(utf8, 0, quoted, 1, utf8.length);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
