package dev.kcovexplorer.app.model.cmp;

import java.util.Arrays;

/**
 * What a TRACE_CMP run recorded, per distinct {@code ip} (the return address the kernel wrote), small
 * enough to keep in a session: records, the record type, the exact number of distinct
 * {@code (arg1, arg2)} pairs and the most frequent {@link #top()} of them with their counts, and for
 * comparisons with a constant ({@code KCOV_CMP_CONST}: {@code arg1} is the constant) each constant with
 * how many records compared equal to it. Columnar: ip {@code i}'s pairs are
 * {@code pairStart[i] .. pairStart[i+1]-1}, most frequent first, ties by {@code arg1}, {@code arg2} as
 * unsigned; its constants {@code constantStart[i] ..}, ascending unsigned. Built by
 * {@link ComparisonSummarizer}; immutable, arrays shared: never mutate what the accessors return.
 */
public final class ComparisonSummary {
    /** Pairs (and constants) kept per ip when nothing else is asked for. */
    public static final int DEFAULT_TOP = 64;

    private final int top;
    private final long[] ips;
    private final byte[] types;
    private final long[] records;
    private final int[] distinct;
    private final int[] firstRecord;
    private final int[] pairStart;
    private final long[] arg1;
    private final long[] arg2;
    private final long[] pairCount;
    private final int[] constantStart;
    private final long[] constant;
    private final long[] constantEqual;
    private final int[] constantsSeen;

    /**
     * @param firstRecord   index of the ip's first record in the area (for messages), -1 when unknown
     * @param constantsSeen distinct constants per ip (more than the kept ones when a switch has many cases)
     */
    public ComparisonSummary(int top, long[] ips, byte[] types, long[] records, int[] distinct, int[] firstRecord,
                             int[] pairStart, long[] arg1, long[] arg2, long[] pairCount, int[] constantStart,
                             long[] constant, long[] constantEqual, int[] constantsSeen) {
        int n = ips.length;
        if (types.length != n || records.length != n || distinct.length != n || firstRecord.length != n
                || pairStart.length != n + 1 || constantStart.length != n + 1 || constantsSeen.length != n
                || arg1.length != pairStart[n] || arg2.length != arg1.length || pairCount.length != arg1.length
                || constant.length != constantStart[n] || constantEqual.length != constant.length) {
            throw new IllegalArgumentException("inconsistent comparison summary columns");
        }
        for (int i = 0; i < n; i++) {
            if (i > 0 && ips[i] <= ips[i - 1]) {
                throw new IllegalArgumentException("comparison summary ips are not sorted and unique at " + i);
            }
            int pairs = pairStart[i + 1] - pairStart[i];
            if (pairs < 0 || pairs > distinct[i] || pairs > top || records[i] < distinct[i] || distinct[i] < 0
                    || constantStart[i + 1] < constantStart[i] || constantsSeen[i] < constantStart[i + 1] - constantStart[i]) {
                throw new IllegalArgumentException("comparison summary of ip 0x" + Long.toHexString(ips[i])
                        + " is inconsistent (" + records[i] + " records, " + distinct[i] + " distinct, " + pairs
                        + " pairs kept)");
            }
        }
        this.top = top;
        this.ips = ips;
        this.types = types;
        this.records = records;
        this.distinct = distinct;
        this.firstRecord = firstRecord;
        this.pairStart = pairStart;
        this.arg1 = arg1;
        this.arg2 = arg2;
        this.pairCount = pairCount;
        this.constantStart = constantStart;
        this.constant = constant;
        this.constantEqual = constantEqual;
        this.constantsSeen = constantsSeen;
    }

    /** Records per ip and nothing else (no operand values known): what a run without its records can say. */
    public static ComparisonSummary recordsOnly(long[] ips, int[] records) {
        int n = ips.length;
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            counts[i] = records == null ? 1 : records[i];
        }
        int[] firstRecord = new int[n];
        Arrays.fill(firstRecord, -1);
        return new ComparisonSummary(0, ips, new byte[n], counts, new int[n], firstRecord, new int[n + 1], new long[0],
                new long[0], new long[0], new int[n + 1], new long[0], new long[0], new int[n]);
    }

    /**
     * The summaries of some ips under other addresses (a module's ips moved from their boot's addresses
     * to the session's): new ip {@code k} is {@code newIps[k]} with old ip {@code from[k]}'s summary.
     * {@code newIps} must be sorted and unique.
     */
    public ComparisonSummary moved(int[] from, long[] newIps) {
        int n = from.length;
        byte[] t = new byte[n];
        long[] r = new long[n];
        int[] d = new int[n];
        int[] first = new int[n];
        int[] seen = new int[n];
        int[] ps = new int[n + 1];
        int[] cs = new int[n + 1];
        for (int k = 0; k < n; k++) {
            int i = from[k];
            t[k] = types[i];
            r[k] = records[i];
            d[k] = distinct[i];
            first[k] = firstRecord[i];
            seen[k] = constantsSeen[i];
            ps[k + 1] = ps[k] + pairStart[i + 1] - pairStart[i];
            cs[k + 1] = cs[k] + constantStart[i + 1] - constantStart[i];
        }
        long[] a1 = new long[ps[n]];
        long[] a2 = new long[ps[n]];
        long[] pc = new long[ps[n]];
        long[] c = new long[cs[n]];
        long[] ce = new long[cs[n]];
        for (int k = 0; k < n; k++) {
            int i = from[k];
            int pairs = pairStart[i + 1] - pairStart[i];
            System.arraycopy(arg1, pairStart[i], a1, ps[k], pairs);
            System.arraycopy(arg2, pairStart[i], a2, ps[k], pairs);
            System.arraycopy(pairCount, pairStart[i], pc, ps[k], pairs);
            int constants = constantStart[i + 1] - constantStart[i];
            System.arraycopy(constant, constantStart[i], c, cs[k], constants);
            System.arraycopy(constantEqual, constantStart[i], ce, cs[k], constants);
        }
        return new ComparisonSummary(top, newIps, t, r, d, first, ps, a1, a2, pc, cs, c, ce, seen);
    }

    /** False for {@link #recordsOnly}: operand values are unknown, and so are distinct pairs and constants. */
    public boolean hasValues() {
        return top > 0;
    }

    /** How many pairs (and constants) per ip were kept at most. */
    public int top() {
        return top;
    }

    public int ipCount() {
        return ips.length;
    }

    /** The sorted distinct ips; never mutate. */
    public long[] ips() {
        return ips;
    }

    /** Index of {@code ip}, or a negative value. */
    public int find(long ip) {
        return Arrays.binarySearch(ips, ip);
    }

    public long ip(int i) {
        return ips[i];
    }

    /** The kcov record type of the ip's records (bit 0 const, bits 1–2 log2 size). */
    public int type(int i) {
        return types[i];
    }

    /** Operand size in bytes as the records say. */
    public int operandSize(int i) {
        return 1 << ((types[i] >> 1) & 3);
    }

    public long records(int i) {
        return records[i];
    }

    public long totalRecords() {
        long total = 0;
        for (long r : records) {
            total += r;
        }
        return total;
    }

    /** Exact number of distinct (arg1, arg2) pairs. */
    public int distinct(int i) {
        return distinct[i];
    }

    /** Index of the ip's first record in the area, or -1 when unknown (e.g. a live run). */
    public int firstRecord(int i) {
        return firstRecord[i];
    }

    public int pairStart(int i) {
        return pairStart[i];
    }

    public int pairEnd(int i) {
        return pairStart[i + 1];
    }

    public long arg1(int pair) {
        return arg1[pair];
    }

    public long arg2(int pair) {
        return arg2[pair];
    }

    public long pairCount(int pair) {
        return pairCount[pair];
    }

    public int constantStart(int i) {
        return constantStart[i];
    }

    public int constantEnd(int i) {
        return constantStart[i + 1];
    }

    public long constant(int c) {
        return constant[c];
    }

    /** Records in which the variable operand equalled constant {@code c}. */
    public long constantEqual(int c) {
        return constantEqual[c];
    }

    /** Distinct constants seen at ip {@code i} (kept or not). */
    public int constantsSeen(int i) {
        return constantsSeen[i];
    }

    // Raw columns for the session codec; never mutate.

    public byte[] rawTypes() {
        return types;
    }

    public long[] rawRecords() {
        return records;
    }

    public int[] rawDistinct() {
        return distinct;
    }

    public int[] rawFirstRecord() {
        return firstRecord;
    }

    public int[] rawPairStart() {
        return pairStart;
    }

    public long[] rawArg1() {
        return arg1;
    }

    public long[] rawArg2() {
        return arg2;
    }

    public long[] rawPairCount() {
        return pairCount;
    }

    public int[] rawConstantStart() {
        return constantStart;
    }

    public long[] rawConstant() {
        return constant;
    }

    public long[] rawConstantEqual() {
        return constantEqual;
    }

    public int[] rawConstantsSeen() {
        return constantsSeen;
    }
}
