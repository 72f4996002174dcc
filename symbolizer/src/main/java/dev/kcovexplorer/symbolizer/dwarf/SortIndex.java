package dev.kcovexplorer.symbolizer.dwarf;

import java.util.Arrays;

/** Sorting permutations of primitive keys without boxing. */
final class SortIndex {
    private SortIndex() {
    }

    /** The permutation that orders {@code keys} ascending as unsigned numbers, stable for equal keys. */
    static int[] byUnsigned(long[] keys) {
        int n = keys.length;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (n < 2) {
            return idx;
        }
        int[] tmp = new int[n];
        mergeSort(keys, idx, tmp, 0, n);
        return idx;
    }

    private static void mergeSort(long[] keys, int[] a, int[] tmp, int from, int to) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                long k = keys[v];
                int j = i - 1;
                while (j >= from && Long.compareUnsigned(keys[a[j]], k) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(keys, a, tmp, from, mid);
        mergeSort(keys, a, tmp, mid, to);
        if (Long.compareUnsigned(keys[a[mid - 1]], keys[a[mid]]) <= 0) {
            return;
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        int k = from;
        while (i < mid && j < to) {
            a[k++] = Long.compareUnsigned(keys[tmp[j]], keys[tmp[i]]) < 0 ? tmp[j++] : tmp[i++];
        }
        while (i < mid) {
            a[k++] = tmp[i++];
        }
        while (j < to) {
            a[k++] = tmp[j++];
        }
    }

    /** True when {@code keys} already ascend (unsigned). */
    static boolean isSorted(long[] keys) {
        for (int i = 1; i < keys.length; i++) {
            if (Long.compareUnsigned(keys[i - 1], keys[i]) > 0) {
                return false;
            }
        }
        return true;
    }

    static long[] permute(long[] values, int[] order) {
        long[] out = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = values[order[i]];
        }
        return out;
    }

    static int[] permute(int[] values, int[] order) {
        int[] out = Arrays.copyOf(values, order.length);
        for (int i = 0; i < order.length; i++) {
            out[i] = values[order[i]];
        }
        return out;
    }
}
