package dev.kcovexplorer.symbolizer.dwarf;

import java.nio.ByteBuffer;

/**
 * A read position in one {@link DwarfSection}. Not thread-safe; cheap to create, so each thread and
 * each task uses its own. Reads past the end throw {@link IndexOutOfBoundsException}, which the
 * callers that start a parse turn into a {@link DwarfFormatException} naming section and offset.
 *
 * <p>A cursor made by {@link DwarfSection#copyingCursor} reads the stretch it was made for from a heap
 * copy and anything outside it from the section, so it reads exactly what the other kind reads. Made for
 * the sequential passes over a whole unit (its DIE tree, its line program): the mapped section's bounds-
 * and scope-checked reads cost several times an array's under the C1 compiler the CLI runs with.
 */
final class Cursor {
    final DwarfSection section;
    private final ByteBuffer data;
    /** The section's bytes {@code [base, base + length)}; empty for a cursor that reads only the section. */
    private final byte[] bytes;
    private final int base;
    private final int length;
    int pos;

    Cursor(DwarfSection section, int pos) {
        this(section, pos, NO_BYTES, 0, 0);
    }

    Cursor(DwarfSection section, int pos, byte[] bytes, int base, int length) {
        this.section = section;
        this.data = section.data;
        this.bytes = bytes;
        this.base = base;
        this.length = length;
        this.pos = pos;
    }

    private static final byte[] NO_BYTES = new byte[0];

    private byte at(int offset) {
        int i = offset - base;
        return i >= 0 && i < length ? bytes[i] : data.get(offset);
    }

    int u8() {
        return at(pos++) & 0xff;
    }

    int s8() {
        return at(pos++);
    }

    int u16() {
        int v = (at(pos) & 0xff) | (at(pos + 1) & 0xff) << 8;
        pos += 2;
        return v;
    }

    int u24() {
        int v = (at(pos) & 0xff) | (at(pos + 1) & 0xff) << 8 | (at(pos + 2) & 0xff) << 16;
        pos += 3;
        return v;
    }

    long u32() {
        int i = pos - base;
        long v;
        if (i >= 0 && i + 4 <= length) {
            byte[] b = bytes;
            v = (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
        } else {
            v = data.getInt(pos) & 0xffffffffL;
        }
        pos += 4;
        return v;
    }

    long u64() {
        int i = pos - base;
        if (i >= 0 && i + 8 <= length) {
            long low = u32();
            return low | u32() << 32;
        }
        long v = data.getLong(pos);
        pos += 8;
        return v;
    }

    /** An offset-sized value: 4 bytes in 32-bit DWARF, 8 in DWARF64. */
    long offset(int offsetSize) {
        return offsetSize == 4 ? u32() : u64();
    }

    long address(int addressSize) {
        switch (addressSize) {
            case 8:
                return u64();
            case 4:
                return u32();
            case 2:
                return u16();
            case 1:
                return u8();
            default:
                throw section.error(pos, "unsupported address size " + addressSize);
        }
    }

    long uleb() {
        byte b = at(pos++);
        if (b >= 0) {
            return b;
        }
        long result = b & 0x7f;
        int shift = 7;
        while (true) {
            b = at(pos++);
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            if (b >= 0) {
                return result;
            }
            shift += 7;
        }
    }

    /** An unsigned LEB128 that must fit an int (counts, indexes, codes). */
    int ulebInt() {
        int start = pos;
        long v = uleb();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw section.error(start, "value " + Long.toUnsignedString(v) + " is too large");
        }
        return (int) v;
    }

    long sleb() {
        long result = 0;
        int shift = 0;
        byte b;
        do {
            b = at(pos++);
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while (b < 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    void skipUleb() {
        while (at(pos++) < 0) {
            // continuation bit set
        }
    }

    /** Skips a NUL-terminated string. */
    void skipCString() {
        while (at(pos++) != 0) {
            // not yet at the terminator
        }
    }

    String cString() {
        String s = section.cString(pos);
        skipCString();
        return s;
    }

    void skip(long n) {
        if (n < 0 || pos + n > section.size) {
            throw section.error(pos, "a block of " + n + " bytes runs past the end of the section");
        }
        pos += (int) n;
    }

    boolean atEnd(int end) {
        return pos >= end;
    }
}
