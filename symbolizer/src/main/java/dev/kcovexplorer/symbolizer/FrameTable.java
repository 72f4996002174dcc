package dev.kcovexplorer.symbolizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The frames of many addresses in columnar arrays (what {@link Symbolizer#symbolizeAll} returns):
 * address {@code i}'s chain is frames {@code frameStart(i) .. frameEnd(i)-1}, innermost first.
 * Function, linkage and file columns are ids into one table of interned strings, so ~400k kernel
 * points with their inline chains cost a few int arrays, not a million objects.
 */
public final class FrameTable {
    /** The linkage id of frames whose linkage name equals their function name. */
    public static final int NO_LINKAGE = -1;

    private final long[] addresses;
    private final int[] frameStart;
    private final int[] function;
    private final int[] linkage;
    private final int[] file;
    private final int[] line;
    private final int[] column;
    private final String[] strings;

    FrameTable(long[] addresses, int[] frameStart, int[] function, int[] linkage, int[] file, int[] line,
               int[] column, String[] strings) {
        this.addresses = addresses;
        this.frameStart = frameStart;
        this.function = function;
        this.linkage = linkage;
        this.file = file;
        this.line = line;
        this.column = column;
        this.strings = strings;
    }

    /** Number of addresses. */
    public int size() {
        return addresses.length;
    }

    public long address(int i) {
        return addresses[i];
    }

    public int frameStart(int i) {
        return frameStart[i];
    }

    public int frameEnd(int i) {
        return frameStart[i + 1];
    }

    /** Total number of frames over all addresses. */
    public int frameCount() {
        return function.length;
    }

    public int functionId(int frame) {
        return function[frame];
    }

    /** String id of the symtab name when it differs from the function name, else {@link #NO_LINKAGE}. */
    public int linkageId(int frame) {
        return linkage[frame];
    }

    public int fileId(int frame) {
        return file[frame];
    }

    public int line(int frame) {
        return line[frame];
    }

    public int column(int frame) {
        return column[frame];
    }

    public String string(int id) {
        return strings[id];
    }

    public int stringCount() {
        return strings.length;
    }

    /** Address {@code i}'s frames as records, innermost first (empty when nothing is known). */
    public List<Frame> frames(int i) {
        int from = frameStart[i];
        int to = frameStart[i + 1];
        if (from == to) {
            return Collections.emptyList();
        }
        List<Frame> out = new ArrayList<>(to - from);
        for (int f = from; f < to; f++) {
            out.add(frame(f));
        }
        return out;
    }

    public Frame frame(int f) {
        return new Frame(strings[function[f]], linkage[f] == NO_LINKAGE ? null : strings[linkage[f]],
                strings[file[f]], line[f], column[f]);
    }
}
