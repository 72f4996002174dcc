package dev.kcovexplorer.symbolizer.points;

import java.util.Arrays;

/** A growable {@code long[]}: addresses are hot data and are never boxed. */
public final class LongArrayBuilder {
    private long[] values;
    private int size;

    public LongArrayBuilder() {
        this(1024);
    }

    /** For the many small lists of a table (a function's few tail sites). */
    public LongArrayBuilder(int initialCapacity) {
        values = new long[Math.max(1, initialCapacity)];
    }

    public void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    public int size() {
        return size;
    }

    /** Whether {@code value} was added: a scan, for the small lists (a function's few tail sites). */
    public boolean contains(long value) {
        for (int i = 0; i < size; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    public long[] sorted() {
        long[] out = toArray();
        Arrays.sort(out);
        return out;
    }
}
