package dev.kcovexplorer.symbolizer.dwarf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** One debug section's bytes plus what error messages need to name it (file and section). */
final class DwarfSection {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);

    final String file;
    final String name;
    final ByteBuffer data;
    final int size;

    DwarfSection(String file, String name, ByteBuffer data) {
        this.file = file;
        this.name = name;
        this.data = data == null ? EMPTY : data.order(ByteOrder.LITTLE_ENDIAN);
        this.size = this.data.capacity();
    }

    boolean isPresent() {
        return size > 0;
    }

    Cursor cursor(long offset) {
        if (offset < 0 || offset > size) {
            throw error(offset, "offset is past the end of the section (" + size + " bytes)");
        }
        return new Cursor(this, (int) offset);
    }

    /**
     * A cursor at {@code offset} that reads {@code [offset, end)} from a copy on the heap: for a pass
     * that reads that whole stretch, once ({@link Cursor}). The stretch is clipped to the section.
     */
    Cursor copyingCursor(long offset, long end) {
        Cursor plain = cursor(offset);
        int from = plain.pos;
        int to = (int) Math.max(from, Math.min(end, size));
        byte[] copy = new byte[to - from];
        data.get(from, copy);
        return new Cursor(this, from, copy, from, copy.length);
    }

    /** The NUL-terminated string at {@code offset} (UTF-8). */
    String cString(long offset) {
        if (offset < 0 || offset >= size) {
            throw error(offset, "string offset is past the end of the section (" + size + " bytes)");
        }
        int start = (int) offset;
        int end = start;
        ByteBuffer d = data;
        while (end < size && d.get(end) != 0) {
            end++;
        }
        if (end == size) {
            throw error(offset, "string is not NUL-terminated");
        }
        byte[] bytes = new byte[end - start];
        d.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    DwarfFormatException error(long offset, String what) {
        return new DwarfFormatException(file + ": " + name + " at offset 0x" + Long.toHexString(offset) + ": " + what);
    }

    /** A missing section that a form or attribute needs. */
    DwarfFormatException missing(String neededBy) {
        return new DwarfFormatException(file + ": " + neededBy + " needs section " + name + ", which is missing");
    }
}
