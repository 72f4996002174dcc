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
    private static final int INITIAL_BITS = 10;

    private PcCounter() {
    }

    static Counts count(long[] trace) {
        if (trace.length == 0) {
            return new Counts(new long[0], new int[0]);
        }
        Counts counted = countInTable(trace);
        // The table is garbage by now: the sorted copy never has to share the heap with it.
        return counted != null ? counted : sortAndCount(trace);
    }

    /** Hash counting, or null as soon as the trace looks mostly unique. */
    private static Counts countInTable(long[] trace) {
        int giveUpAt = Math.max(1 << 16, trace.length / 8);
        Table table = new Table(INITIAL_BITS);
        int zeroHits = 0; // 0 marks a free slot, so the PC 0 is counted aside
        int seen = 0;
        int nextCheck = 1 << 20;
        for (long pc : trace) {
            if (pc == 0) {
                zeroHits++;
            } else if (table.increment(pc) > giveUpAt) {
                return null;
            }
            if (++seen == nextCheck) {
                // More than half of the first million-odd PCs new: a random-looking trace.
                if (table.size > seen / 2) {
                    return null;
                }
                nextCheck <<= 1;
            }
        }
        return table.sorted(zeroHits);
    }

    /**
     * Linear probing over one array of (key, count) pairs, so a lookup touches one cache line.
     * Grows at half load.
     */
    private static final class Table {
        private int bits;
        private long[] slots;
        private int size;

        Table(int bits) {
            this.bits = bits;
            this.slots = new long[2 << bits];
        }

        /** Counts one occurrence; returns the number of distinct keys. */
        int increment(long key) {
            int mask = (1 << bits) - 1;
            int slot = (int) ((key * GOLDEN) >>> (64 - bits));
            while (true) {
                long k = slots[2 * slot];
                if (k == key) {
                    slots[2 * slot + 1]++;
                    return size;
                }
                if (k == 0) {
                    slots[2 * slot] = key;
                    slots[2 * slot + 1] = 1;
                    if (++size * 2 > (1 << bits)) {
                        grow();
                    }
                    return size;
                }
                slot = (slot + 1) & mask;
            }
        }

        private void grow() {
            long[] old = slots;
            bits++;
            slots = new long[2 << bits];
            int mask = (1 << bits) - 1;
            for (int i = 0; i < old.length; i += 2) {
                long key = old[i];
                if (key != 0) {
                    int slot = (int) ((key * GOLDEN) >>> (64 - bits));
                    while (slots[2 * slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    slots[2 * slot] = key;
                    slots[2 * slot + 1] = old[i + 1];
                }
            }
        }

        private long count(long key) {
            int mask = (1 << bits) - 1;
            int slot = (int) ((key * GOLDEN) >>> (64 - bits));
            while (slots[2 * slot] != key) {
                slot = (slot + 1) & mask;
            }
            return slots[2 * slot + 1];
        }

        Counts sorted(int zeroHits) {
            int zero = zeroHits > 0 ? 1 : 0;
            long[] pcs = new long[size + zero];
            int next = 0;
            for (int i = 0; i < slots.length; i += 2) {
                if (slots[i] != 0) {
                    pcs[next++] = slots[i];
                }
            }
            Arrays.sort(pcs); // the PC 0, if any, sorts into place from the end
            int[] hits = new int[pcs.length];
            for (int i = 0; i < pcs.length; i++) {
                hits[i] = pcs[i] == 0 ? zeroHits : (int) count(pcs[i]);
            }
            return new Counts(pcs, hits);
        }
    }

    /** Sorts a copy and compacts it in place, so an all-unique trace costs one copy plus the counts. */
    private static Counts sortAndCount(long[] trace) {
        long[] sorted = trace.clone();
        Arrays.sort(sorted);
        int unique = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                unique++;
            }
        }
        int[] counts = new int[unique];
        int u = 0;
        counts[0] = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[u]) {
                sorted[++u] = sorted[i];
            }
            counts[u]++;
        }
        return new Counts(unique == sorted.length ? sorted : Arrays.copyOf(sorted, unique), counts);
    }
}
