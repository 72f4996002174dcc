package dev.kcovexplorer.kcov;

import java.util.Arrays;

/**
 * De-duplicates a trace into sorted unique PCs with hit counts. A kernel trace repeats a few hundred
 * thousand PCs millions of times, so counting in an open-addressing hash table and sorting only the
 * unique keys beats sorting the trace; when the trace turns out mostly unique the table would cost
 * more than a sorted copy, and the counter switches to sort + run-length counting.
 */
final class PcCounter {
    private PcCounter() {
    }

    static PcHitTable.Counts count(long[] trace) {
        if (trace.length == 0) {
            return new PcHitTable.Counts(new long[0], new int[0]);
        }
        PcHitTable.Counts counted = countInTable(trace);
        // The table is garbage by now: the sorted copy never has to share the heap with it.
        return counted != null ? counted : sortAndCount(trace);
    }

    /** Hash counting, or null as soon as the trace looks mostly unique. */
    private static PcHitTable.Counts countInTable(long[] trace) {
        int giveUpAt = Math.max(1 << 16, trace.length / 8);
        PcHitTable table = new PcHitTable();
        int seen = 0;
        int nextCheck = 1 << 20;
        for (long pc : trace) {
            if (table.add(pc) == 1 && table.size() > giveUpAt) {
                return null;
            }
            if (++seen == nextCheck) {
                // More than half of the first million-odd PCs new: a random-looking trace.
                if (table.size() > seen / 2) {
                    return null;
                }
                nextCheck <<= 1;
            }
        }
        return table.sorted();
    }

    /** Sorts a copy and compacts it in place, so an all-unique trace costs one copy plus the counts. */
    private static PcHitTable.Counts sortAndCount(long[] trace) {
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
        return new PcHitTable.Counts(unique == sorted.length ? sorted : Arrays.copyOf(sorted, unique), counts);
    }
}
