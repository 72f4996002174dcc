package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.FrameTable;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.io.PrintWriter;
import java.util.List;

/**
 * Writes {@code symbolize}'s output: {@code {"address":"0x…","frames":[{"function":…,"linkage":…,
 * "file":…,"line":N,"column":N}]}} per line, with {@code "module":"usbcore"} after the address when a
 * module holds it. A kernel's ~600k points make ~150 MB of JSON in which
 * the same few thousand paths and names repeat, so each distinct string is escaped once and lines are
 * assembled in a buffer.
 */
final class JsonLines {
    private static final int FLUSH_AT = 1 << 16;

    private final PrintWriter out;
    private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 4096);
    private char[] chars = new char[FLUSH_AT + 4096];
    private KernelIndex quotedIndex;
    private String[] quotedIndexStrings;

    JsonLines(PrintWriter out) {
        this.out = out;
    }

    /** Every address of {@code table}, escaping each string of its table once. */
    void writeAll(FrameTable table) {
        String[] quoted = new String[table.stringCount()];
        for (int i = 0; i < quoted.length; i++) {
            quoted[i] = quote(table.string(i));
        }
        for (int i = 0; i < table.size(); i++) {
            startLine(table.address(i), null);
            for (int f = table.frameStart(i); f < table.frameEnd(i); f++) {
                int linkage = table.linkageId(f);
                frame(f > table.frameStart(i), quoted[table.functionId(f)],
                        linkage == FrameTable.NO_LINKAGE ? "null" : quoted[linkage], quoted[table.fileId(f)],
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
            quotedIndexStrings = new String[index.stringCount()];
        }
        startLine(address, null);
        for (int f = index.chainStart(point); f < index.chainEnd(point); f++) {
            int linkage = index.frameLinkageId(f);
            frame(f > index.chainStart(point), quotedIndexString(index.frameFunctionId(f)),
                    linkage == KernelIndex.NO_LINKAGE ? "null" : quotedIndexString(linkage),
                    quotedIndexString(index.frameFileId(f)), index.frameLine(f), index.frameColumn(f));
        }
        endLine();
    }

    private String quotedIndexString(int id) {
        String q = quotedIndexStrings[id];
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
                    f.linkage() == null ? "null" : quote(f.linkage()),
                    quote(f.file() == null ? Symbolizer.UNKNOWN : f.file()), f.line(), f.column());
            comma = true;
        }
        endLine();
    }

    private void startLine(long address, String module) {
        buffer.append("{\"address\":\"0x").append(Long.toHexString(address)).append("\",");
        if (module != null) {
            buffer.append("\"module\":").append(quote(module)).append(',');
        }
        buffer.append("\"frames\":[");
    }

    private void frame(boolean comma, String function, String linkage, String file, int line, int column) {
        if (comma) {
            buffer.append(',');
        }
        buffer.append("{\"function\":").append(function).append(",\"linkage\":").append(linkage)
                .append(",\"file\":").append(file).append(",\"line\":").append(line)
                .append(",\"column\":").append(column).append('}');
    }

    private void endLine() {
        buffer.append("]}\n");
        if (buffer.length() >= FLUSH_AT) {
            writeBuffer();
        }
    }

    void flush() {
        writeBuffer();
        out.flush();
    }

    /** Through a char array: a Writer would copy a CharSequence into a String first (~200 MB for a kernel). */
    private void writeBuffer() {
        int n = buffer.length();
        if (chars.length < n) {
            chars = new char[n];
        }
        buffer.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
        buffer.setLength(0);
    }

    private static String quote(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }
}
