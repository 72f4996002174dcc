package dev.kcovexplorer.symbolizer.dwarf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One debug section's bytes plus what error messages need to name it (file and section). */
final class DwarfSection {
    /** Bytes read at a time when looking for a string's end. */
    private static final int STRING_CHUNK = 64;
    /** Where a thread reads strings: a kernel's names and paths are read a million times. */
    private static final ThreadLocal<byte[]> STRING_SCRATCH = ThreadLocal.withInitial(() -> new byte[4 * STRING_CHUNK]);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);

    final String file;
    final String name;
    final ByteBuffer data;
    final int size;
    /** Per thread, the bytes of its last {@link #copyingCursor}. */
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[0]);

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
     * that reads that whole stretch, once ({@link Cursor}). The stretch is clipped to the section. The copy
     * is this thread's scratch for this section, which its next copying cursor overwrites: one pass at a
     * time per thread and section (a unit's DIE tree; a line program), never kept.
     */
    Cursor copyingCursor(long offset, long end) {
        Cursor plain = cursor(offset);
        int from = plain.pos;
        int to = (int) Math.max(from, Math.min(end, size));
        byte[] copy = scratch.get();
        if (copy.length < to - from) {
            // A kernel's 2,661 units are 216 MB: fresh arrays were a sixth of all a build allocates.
            copy = new byte[Math.max(to - from, copy.length + copy.length / 2)];
            scratch.set(copy);
        }
        data.get(from, copy, 0, to - from);
        return new Cursor(this, from, copy, from, to - from);
    }

    /** The NUL-terminated string at {@code offset} (UTF-8). */
    String cString(long offset) {
        if (offset < 0 || offset >= size) {
            throw error(offset, "string offset is past the end of the section (" + size + " bytes)");
        }
        // Bulk reads of a few dozen bytes, scanned as an array: most names fit the first, and byte-wise reads
        // of the mapped section cost several times more.
        int start = (int) offset;
        byte[] chunk = STRING_SCRATCH.get();
        int length = 0;
        while (true) {
            int n = Math.min(size - start - length, STRING_CHUNK);
            if (n == 0) {
                throw error(offset, "string is not NUL-terminated");
            }
            if (chunk.length < length + n) {
                chunk = Arrays.copyOf(chunk, Math.max(chunk.length * 2, length + n));
                STRING_SCRATCH.set(chunk);
            }
            data.get(start + length, chunk, length, n);
            for (int i = length; i < length + n; i++) {
                if (chunk[i] == 0) {
                    return new String(chunk, 0, i, StandardCharsets.UTF_8);
                }
            }
            length += n;
        }
    }

    DwarfFormatException error(long offset, String what) {
        return new DwarfFormatException(file + ": " + name + " at offset 0x" + Long.toHexString(offset) + ": " + what);
    }

    /** A missing section that a form or attribute needs. */
    DwarfFormatException missing(String neededBy) {
        return new DwarfFormatException(file + ": " + neededBy + " needs section " + name + ", which is missing");
    }
}
