package dev.kcovexplorer.kcov;

import java.util.Arrays;

/**
 * De-duplicates a trace into sorted unique PCs with hit counts. A kernel trace repeats a few hundred
 * thousand PCs millions of times, so counting in an open-addressing hash table and sorting only the
 * unique keys beats sorting the trace; when the trace turns out mostly unique the table would cost
 * more than a sorted copy, and the counter switches to sort + run-length counting.
 */
final class PcCounter {
    /** Sorted unique PCs and how often each occurs. */
    record Counts(long[] pcs, int[] hits) {
    }

    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private PcCounter() {
    }

    static Counts count(long[] trace) {
        int n = trace.length;
        if (n == 0) {
            return new Counts(new long[0], new int[0]);
        }
        int giveUpAt = Math.max(1 << 16, n / 4);
        int bits = 10;
        long[] keys = new long[1 << bits];
        int[] hits = new int[1 << bits];
        int size = 0;
        int zeroHits = 0;
        for (long pc : trace) {
            if (pc == 0) {
                zeroHits++;
                continue;
            }
            int mask = keys.length - 1;
            int slot = (int) ((pc * GOLDEN) >>> (64 - bits));
            while (keys[slot] != 0 && keys[slot] != pc) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == 0) {
                keys[slot] = pc;
                if (++size > giveUpAt) {
                    return sortAndCount(trace);
                }
                if (size * 2 > keys.length) {
                    bits++;
                    long[] oldKeys = keys;
                    int[] oldHits = hits;
                    keys = new long[1 << bits];
                    hits = new int[1 << bits];
                    rehash(oldKeys, oldHits, keys, hits, bits);
                    slot = find(keys, pc, bits);
                }
            }
            hits[slot]++;
        }
        return sortedFromTable(keys, hits, size, zeroHits, bits);
    }

    private static void rehash(long[] oldKeys, int[] oldHits, long[] keys, int[] hits, int bits) {
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            long key = oldKeys[i];
            if (key != 0) {
                int slot = (int) ((key * GOLDEN) >>> (64 - bits));
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                hits[slot] = oldHits[i];
            }
        }
    }

    private static int find(long[] keys, long key, int bits) {
        int mask = keys.length - 1;
        int slot = (int) ((key * GOLDEN) >>> (64 - bits));
        while (keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static Counts sortedFromTable(long[] keys, int[] hits, int size, int zeroHits, int bits) {
        int zero = zeroHits > 0 ? 1 : 0;
        long[] pcs = new long[size + zero];
        int next = 0;
        for (long key : keys) {
            if (key != 0) {
                pcs[next++] = key;
            }
        }
        if (zero == 1) {
            pcs[next] = 0;
        }
        Arrays.sort(pcs);
        int[] counts = new int[pcs.length];
        for (int i = 0; i < pcs.length; i++) {
            counts[i] = pcs[i] == 0 ? zeroHits : hits[find(keys, pcs[i], bits)];
        }
        return new Counts(pcs, counts);
    }

    private static Counts sortAndCount(long[] trace) {
        long[] sorted = trace.clone();
        Arrays.sort(sorted);
        int unique = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                unique++;
            }
        }
        long[] pcs = new long[unique];
        int[] counts = new int[unique];
        int u = -1;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                pcs[++u] = sorted[i];
            }
            counts[u]++;
        }
        return new Counts(pcs, counts);
    }
}
