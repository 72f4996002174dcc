package dev.kcovexplorer.symbolizer.dwarf;

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
}
