package dev.kcovexplorer.symbolizer.dwarf;

import java.util.Arrays;

/** A growable list of [lo, hi) address pairs in one long[]. */
final class RangeList {
    private long[] pairs = new long[8];
    private int size;

    void add(long lo, long hi) {
        if (size + 2 > pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[size++] = lo;
        pairs[size++] = hi;
    }

    int pairCount() {
        return size / 2;
    }

    long lo(int i) {
        return pairs[2 * i];
    }

    long hi(int i) {
        return pairs[2 * i + 1];
    }

    void clear() {
        size = 0;
    }

    long[] toArray() {
        return Arrays.copyOf(pairs, size);
    }
}
