package dev.kcovexplorer.symbolizer.elf;

/**
 * Binary search over sorted addresses in unsigned order: kernel addresses have the top bit set, so
 * signed comparison would sort them below user-space ones.
 */
public final class AddressSearch {
    private AddressSearch() {
    }

    /** The index of the first element of {@code sorted[from, to)} above {@code address}: to, if none. */
    public static int upperBound(long[] sorted, int from, int to, long address) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid], address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
