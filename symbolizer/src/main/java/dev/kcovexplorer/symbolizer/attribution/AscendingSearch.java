package dev.kcovexplorer.symbolizer.attribution;

import java.util.Arrays;

/**
 * Finds keys in a sorted {@code long[]}. A run's unique PCs come sorted, so successive keys only move
 * forward: galloping from the last position costs a few comparisons per key instead of a full binary
 * search, which makes attributing 1M PCs several times faster. A key below the previous one falls back
 * to searching the whole array, so any order gives the same answers.
 */
final class AscendingSearch {
    private final long[] sorted;
    private int from;
    private long lastKey = Long.MIN_VALUE;

    AscendingSearch(long[] sorted) {
        this.sorted = sorted;
    }

    /** The index of {@code key}, or -1. */
    int find(long key) {
        if (key < lastKey) {
            from = 0;
        }
        lastKey = key;
        int lo = from;
        int step = 1;
        int hi = lo;
        while (hi < sorted.length && sorted[hi] < key) {
            lo = hi + 1;
            hi += step;
            step <<= 1;
        }
        from = lo;
        int found = Arrays.binarySearch(sorted, lo, Math.min(hi + 1, sorted.length), key);
        return found >= 0 ? found : -1;
    }
}
