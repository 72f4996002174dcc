package dev.kcovexplorer.app.model;

import java.util.Arrays;

/**
 * Least-significant-digit radix sort of non-negative {@code long} keys, 16 bits a pass, skipping the digits
 * in which all keys agree. The layout's keys pair a file with a line or a name, a line with a function: a
 * few thousand files and tens of thousands of lines, so two or three linear passes replace a comparison
 * sort, and the payload that moves with each key (its frame) replaces a binary search per frame.
 */
final class RadixSort {
    private static final int BITS = 16;
    private static final int MASK = (1 << BITS) - 1;

    private RadixSort() {
    }

    /**
     * Sorts {@code keys[0..n)} ascending in place, stably; {@code payload[i]} (when not null) moves with
     * {@code keys[i]}. Keys must be non-negative (their unsigned order is then their order).
     */
    static void sort(long[] keys, int[] payload, int n) {
        long differing = 0;
        for (int i = 1; i < n; i++) {
            differing |= keys[i] ^ keys[0];
        }
        long[] from = keys;
        long[] to = new long[n];
        int[] payloadFrom = payload;
        int[] payloadTo = payload == null ? null : new int[n];
        int[] next = new int[MASK + 2];
        for (int shift = 0; shift < Long.SIZE; shift += BITS) {
            if ((differing >>> shift & MASK) == 0) {
                continue;
            }
            Arrays.fill(next, 0);
            for (int i = 0; i < n; i++) {
                next[(int) (from[i] >>> shift & MASK) + 1]++;
            }
            for (int d = 1; d < next.length; d++) {
                next[d] += next[d - 1];
            }
            for (int i = 0; i < n; i++) {
                int at = next[(int) (from[i] >>> shift & MASK)]++;
                to[at] = from[i];
                if (payloadFrom != null) {
                    payloadTo[at] = payloadFrom[i];
                }
            }
            long[] keysDone = to;
            to = from;
            from = keysDone;
            int[] payloadDone = payloadTo;
            payloadTo = payloadFrom;
            payloadFrom = payloadDone;
        }
        if (from != keys) {
            System.arraycopy(from, 0, keys, 0, n);
            if (payload != null) {
                System.arraycopy(payloadFrom, 0, payload, 0, n);
            }
        }
    }
}
