package dev.kcovexplorer.symbolizer.points;

import java.util.Arrays;

/**
 * An open-addressing map from address to int, for the lookups a branch scan does on every decoded
 * branch (hundreds of thousands per kernel) without boxing.
 */
public final class LongIntHashMap {
    private long[] keys;
    private int[] values;
    private boolean[] used;
    private int size;

    public LongIntHashMap() {
        this(16);
    }

    public LongIntHashMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        used = new boolean[capacity];
    }

    /** The value for {@code key}, or {@code missing} when absent. */
    public int get(long key, int missing) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return missing;
    }

    public boolean containsKey(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return true;
            }
        }
        return false;
    }

    public void put(long key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (used[i]) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = key;
        values[i] = value;
        size++;
    }

    public int size() {
        return size;
    }

    /** The keys in ascending (signed) order. */
    public long[] sortedKeys() {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                out[n++] = keys[i];
            }
        }
        Arrays.sort(out);
        return out;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
