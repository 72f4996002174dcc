package dev.kcovexplorer.kcov;

import java.util.Arrays;

/**
 * An immutable set of PCs: a sorted array of unique values (Java's signed order, as
 * {@link java.util.Arrays#sort(long[])} leaves them), combined by linear merges.
 */
public final class PcSet {
    private static final PcSet EMPTY = new PcSet(new long[0]);

    private final long[] pcs;

    private PcSet(long[] sortedUnique) {
        this.pcs = sortedUnique;
    }

    /** Wraps (without copying) an array that is already sorted ascending without duplicates. */
    public static PcSet of(long[] sortedUnique) {
        for (int i = 1; i < sortedUnique.length; i++) {
            if (sortedUnique[i - 1] >= sortedUnique[i]) {
                throw new IllegalArgumentException("PCs not sorted and unique at index " + i);
            }
        }
        return new PcSet(sortedUnique);
    }

    /** Sorts and de-duplicates a copy of any PCs. */
    public static PcSet fromUnsorted(long... pcs) {
        long[] sorted = pcs.clone();
        Arrays.sort(sorted);
        int unique = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[unique - 1]) {
                sorted[unique++] = sorted[i];
            }
        }
        return new PcSet(Arrays.copyOf(sorted, unique));
    }

    public static PcSet empty() {
        return EMPTY;
    }

    /** The PCs, sorted ascending (shared: do not modify). */
    public long[] toArray() {
        return pcs;
    }

    public int size() {
        return pcs.length;
    }

    public boolean isEmpty() {
        return pcs.length == 0;
    }

    public boolean contains(long pc) {
        return Arrays.binarySearch(pcs, pc) >= 0;
    }

    public PcSet union(PcSet o) {
        return merge(o, true, true, true);
    }

    public PcSet intersect(PcSet o) {
        return merge(o, false, true, false);
    }

    /** The PCs of this set that are not in {@code o}. */
    public PcSet minus(PcSet o) {
        return merge(o, true, false, false);
    }

    /** The PCs in exactly one of the two sets. */
    public PcSet symmetricDifference(PcSet o) {
        return merge(o, true, false, true);
    }

    /**
     * One linear merge of two sorted arrays serves every operation: each says which PCs it keeps,
     * those only in this set, those in both, and those only in {@code o}.
     */
    private PcSet merge(PcSet o, boolean onlyHere, boolean inBoth, boolean onlyThere) {
        long[] a = pcs;
        long[] b = o.pcs;
        long[] out = new long[(onlyHere ? a.length : 0) + (onlyThere ? b.length : 0)
                + (onlyHere || onlyThere ? 0 : Math.min(a.length, b.length))];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            long x = a[i];
            long y = b[j];
            if (x < y) {
                if (onlyHere) {
                    out[n++] = x;
                }
                i++;
            } else if (y < x) {
                if (onlyThere) {
                    out[n++] = y;
                }
                j++;
            } else {
                if (inBoth) {
                    out[n++] = x;
                }
                i++;
                j++;
            }
        }
        if (onlyHere) {
            System.arraycopy(a, i, out, n, a.length - i);
            n += a.length - i;
        }
        if (onlyThere) {
            System.arraycopy(b, j, out, n, b.length - j);
            n += b.length - j;
        }
        return trimmed(out, n);
    }

    private static PcSet trimmed(long[] out, int n) {
        return n == 0 ? EMPTY : new PcSet(n == out.length ? out : Arrays.copyOf(out, n));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PcSet set && Arrays.equals(pcs, set.pcs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pcs);
    }

    @Override
    public String toString() {
        return "PcSet[" + pcs.length + " PCs]";
    }
}
