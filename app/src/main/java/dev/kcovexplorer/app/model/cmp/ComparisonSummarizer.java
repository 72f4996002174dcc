package dev.kcovexplorer.app.model.cmp;

import dev.kcovexplorer.kcov.CmpRecords;
import dev.kcovexplorer.kcov.KcovAbi;
import dev.kcovexplorer.symbolizer.points.LongIntHashMap;

import java.util.Arrays;

/**
 * Summarizes TRACE_CMP records per ip in linear time: records are bucketed by ip (a counting sort),
 * then each bucket's pairs are counted exactly in an open-addressing table of two-long keys that is
 * reused from bucket to bucket, and the most frequent pairs are picked with a bounded heap. A million
 * records take well under a second; memory is a few arrays of the record count.
 */
public final class ComparisonSummarizer {
    private static final long K1 = 0x9E37_79B9_7F4A_7C15L;
    private static final long K2 = 0xC2B2_AE3D_27D4_EB4FL;

    private final int top;
    /** Records each row stands for (rows of distinct records with their counts), or null: one each. */
    private final long[] weights;
    // the pair table of the current bucket
    private long[] keyA = new long[16];
    private long[] keyB = new long[16];
    private long[] counts = new long[16];
    private int[] stamp = new int[16];
    private int[] slots = new int[16];
    private int generation;

    private ComparisonSummarizer(int top, long[] weights) {
        this.top = top;
        this.weights = weights;
    }

    public static ComparisonSummary summarize(CmpRecords records) {
        return summarize(records, ComparisonSummary.DEFAULT_TOP);
    }

    /** @param top pairs (and constants) to keep per ip, at least 1 */
    public static ComparisonSummary summarize(CmpRecords records, int top) {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, not " + top);
        }
        return new ComparisonSummarizer(top, null).run(records);
    }

    /**
     * Summarizes rows that stand for {@code weights[r]} records each (distinct records with their counts, as
     * live collection keeps them): the same summary as of the records themselves, except that the record
     * order is gone, so {@link ComparisonSummary#firstRecord(int)} is -1.
     */
    public static ComparisonSummary summarizeCounted(CmpRecords rows, long[] weights, int top) {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be at least 1, not " + top);
        }
        if (weights.length != rows.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + rows.size() + " rows");
        }
        return new ComparisonSummarizer(top, weights).run(rows);
    }

    private long weight(int row) {
        return weights == null ? 1 : weights[row];
    }

    private ComparisonSummary run(CmpRecords cmp) {
        int n = cmp.size();
        long[] ipColumn = cmp.ips();
        // 1. dense ids in first-seen order, then renumbered in ip order
        LongIntHashMap idOf = new LongIntHashMap(1024);
        int[] recordId = new int[n];
        int ids = 0;
        for (int r = 0; r < n; r++) {
            int id = idOf.get(ipColumn[r], -1);
            if (id < 0) {
                id = ids++;
                idOf.put(ipColumn[r], id);
            }
            recordId[r] = id;
        }
        long[] ips = idOf.sortedKeys();
        int[] rank = new int[ids];
        for (int i = 0; i < ips.length; i++) {
            rank[idOf.get(ips[i], -1)] = i;
        }
        // 2. bucket the records by ip, keeping record order within a bucket
        int[] bucketStart = new int[ids + 1];
        for (int r = 0; r < n; r++) {
            recordId[r] = rank[recordId[r]];
            bucketStart[recordId[r] + 1]++;
        }
        for (int i = 0; i < ids; i++) {
            bucketStart[i + 1] += bucketStart[i];
        }
        int[] fill = Arrays.copyOf(bucketStart, ids);
        int[] order = new int[n];
        for (int r = 0; r < n; r++) {
            order[fill[recordId[r]]++] = r;
        }
        // 3. per bucket: exact pair counts, the top pairs, the constants
        Columns out = new Columns(ids, top);
        byte[] types = cmp.types();
        long[] a1 = cmp.arg1s();
        long[] a2 = cmp.arg2s();
        for (int i = 0; i < ids; i++) {
            int from = bucketStart[i];
            int to = bucketStart[i + 1];
            int first = order[from];
            out.types[i] = types[first];
            out.firstRecord[i] = weights == null ? first : -1;
            long records = 0;
            for (int k = from; k < to; k++) {
                records += weight(order[k]);
            }
            out.records[i] = records;
            int distinct = countPairs(order, from, to, a1, a2);
            out.distinct[i] = distinct;
            out.addTopPairs(i, topSlots(distinct), keyA, keyB, counts);
            if ((types[first] & KcovAbi.KCOV_CMP_CONST) != 0) {
                out.addConstants(i, constants(order, from, to, a1, a2));
            } else {
                out.constantStart[i + 1] = out.constantCount;
            }
        }
        return out.build(top, ips);
    }

    /** Counts the bucket's pairs into the table; returns how many distinct pairs there are. */
    private int countPairs(int[] order, int from, int to, long[] a1, long[] a2) {
        prepare(to - from);
        int mask = keyA.length - 1;
        int distinct = 0;
        for (int k = from; k < to; k++) {
            int r = order[k];
            long a = a1[r];
            long b = a2[r];
            int s = slot(a, b, mask);
            while (stamp[s] == generation && (keyA[s] != a || keyB[s] != b)) {
                s = (s + 1) & mask;
            }
            if (stamp[s] != generation) {
                stamp[s] = generation;
                keyA[s] = a;
                keyB[s] = b;
                counts[s] = 0;
                slots[distinct++] = s;
            }
            counts[s] += weight(r);
        }
        return distinct;
    }

    /** Table slots of the {@link #top} most frequent pairs, most frequent first. */
    private int[] topSlots(int distinct) {
        int keep = Math.min(top, distinct);
        int[] heap = new int[keep]; // a min-heap under "better": its root is the worst kept pair
        int size = 0;
        for (int d = 0; d < distinct; d++) {
            int s = slots[d];
            if (size < keep) {
                heap[size] = s;
                siftUp(heap, size++);
            } else if (better(s, heap[0])) {
                heap[0] = s;
                siftDown(heap, size);
            }
        }
        int[] sorted = new int[keep];
        for (int k = keep - 1; k >= 0; k--) {
            sorted[k] = heap[0];
            heap[0] = heap[--size];
            siftDown(heap, size);
        }
        return sorted;
    }

    /** Distinct constants (arg1) of a const bucket with the records equal to each, ascending unsigned. */
    private long[][] constants(int[] order, int from, int to, long[] a1, long[] a2) {
        prepare(to - from);
        int mask = keyA.length - 1;
        int distinct = 0;
        for (int k = from; k < to; k++) {
            int r = order[k];
            long c = a1[r];
            int s = slot(c, 0, mask);
            while (stamp[s] == generation && keyA[s] != c) {
                s = (s + 1) & mask;
            }
            if (stamp[s] != generation) {
                stamp[s] = generation;
                keyA[s] = c;
                counts[s] = 0;
                slots[distinct++] = s;
            }
            if (a2[r] == c) {
                counts[s] += weight(r);
            }
        }
        long[] values = new long[distinct];
        long[] equal = new long[distinct];
        Integer[] byValue = new Integer[distinct];
        for (int d = 0; d < distinct; d++) {
            byValue[d] = slots[d];
        }
        Arrays.sort(byValue, (x, y) -> Long.compareUnsigned(keyA[x], keyA[y]));
        for (int d = 0; d < distinct; d++) {
            values[d] = keyA[byValue[d]];
            equal[d] = counts[byValue[d]];
        }
        return new long[][] {values, equal};
    }

    /** A table with room for {@code entries} at under half load, logically empty. */
    private void prepare(int entries) {
        int capacity = Integer.highestOneBit(Math.max(8, entries) * 2 - 1) << 1;
        if (capacity > keyA.length) {
            keyA = new long[capacity];
            keyB = new long[capacity];
            counts = new long[capacity];
            stamp = new int[capacity];
            slots = new int[capacity];
            generation = 0;
        }
        generation++;
    }

    private static int slot(long a, long b, int mask) {
        long h = a * K1 ^ b * K2;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** More frequent, then the smaller (arg1, arg2) unsigned: a total order, so output is deterministic. */
    private boolean better(int x, int y) {
        if (counts[x] != counts[y]) {
            return counts[x] > counts[y];
        }
        int c = Long.compareUnsigned(keyA[x], keyA[y]);
        return c != 0 ? c < 0 : Long.compareUnsigned(keyB[x], keyB[y]) < 0;
    }

    private void siftUp(int[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) >> 1;
            if (!better(heap[parent], heap[i])) {
                break;
            }
            swap(heap, i, parent);
            i = parent;
        }
    }

    private void siftDown(int[] heap, int size) {
        int i = 0;
        while (true) {
            int worst = i;
            int l = 2 * i + 1;
            int r = l + 1;
            if (l < size && better(heap[worst], heap[l])) {
                worst = l;
            }
            if (r < size && better(heap[worst], heap[r])) {
                worst = r;
            }
            if (worst == i) {
                return;
            }
            swap(heap, i, worst);
            i = worst;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** The summary's columns while they grow. */
    private static final class Columns {
        final byte[] types;
        final long[] records;
        final int[] distinct;
        final int[] firstRecord;
        final int[] pairStart;
        final int[] constantStart;
        final int[] constantsSeen;
        long[] arg1 = new long[256];
        long[] arg2 = new long[256];
        long[] pairCount = new long[256];
        int pairs;
        long[] constant = new long[64];
        long[] constantEqual = new long[64];
        int constantCount;
        final int top;

        Columns(int ips, int top) {
            this.top = top;
            types = new byte[ips];
            records = new long[ips];
            distinct = new int[ips];
            firstRecord = new int[ips];
            pairStart = new int[ips + 1];
            constantStart = new int[ips + 1];
            constantsSeen = new int[ips];
        }

        void addTopPairs(int ip, int[] tableSlots, long[] keyA, long[] keyB, long[] counts) {
            if (pairs + tableSlots.length > arg1.length) {
                int grown = Math.max(arg1.length * 2, pairs + tableSlots.length);
                arg1 = Arrays.copyOf(arg1, grown);
                arg2 = Arrays.copyOf(arg2, grown);
                pairCount = Arrays.copyOf(pairCount, grown);
            }
            for (int s : tableSlots) {
                arg1[pairs] = keyA[s];
                arg2[pairs] = keyB[s];
                pairCount[pairs++] = counts[s];
            }
            pairStart[ip + 1] = pairs;
        }

        void addConstants(int ip, long[][] valuesAndEqual) {
            long[] values = valuesAndEqual[0];
            constantsSeen[ip] = values.length;
            // Keep the constants never equal first: they are what a fuzzing engineer looks for.
            int keep = Math.min(top, values.length);
            if (constantCount + keep > constant.length) {
                int grown = Math.max(constant.length * 2, constantCount + keep);
                constant = Arrays.copyOf(constant, grown);
                constantEqual = Arrays.copyOf(constantEqual, grown);
            }
            int kept = 0;
            for (int pass = 0; pass < 2 && kept < keep; pass++) {
                for (int c = 0; c < values.length && kept < keep; c++) {
                    if ((valuesAndEqual[1][c] == 0) == (pass == 0)) {
                        constant[constantCount + kept] = values[c];
                        constantEqual[constantCount + kept++] = valuesAndEqual[1][c];
                    }
                }
            }
            sortUnsigned(constantCount, constantCount + kept);
            constantCount += kept;
            constantStart[ip + 1] = constantCount;
        }

        private void sortUnsigned(int from, int to) {
            for (int i = from + 1; i < to; i++) {
                for (int j = i; j > from && Long.compareUnsigned(constant[j - 1], constant[j]) > 0; j--) {
                    long v = constant[j];
                    constant[j] = constant[j - 1];
                    constant[j - 1] = v;
                    long e = constantEqual[j];
                    constantEqual[j] = constantEqual[j - 1];
                    constantEqual[j - 1] = e;
                }
            }
        }

        ComparisonSummary build(int keep, long[] ips) {
            return new ComparisonSummary(keep, ips, types, records, distinct, firstRecord, pairStart,
                    Arrays.copyOf(arg1, pairs), Arrays.copyOf(arg2, pairs), Arrays.copyOf(pairCount, pairs),
                    constantStart, Arrays.copyOf(constant, constantCount), Arrays.copyOf(constantEqual, constantCount),
                    constantsSeen);
        }
    }
}
