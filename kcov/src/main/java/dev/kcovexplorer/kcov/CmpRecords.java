package dev.kcovexplorer.kcov;

/**
 * TRACE_CMP records {@code {type, arg1, arg2, ip}} in columns, in the order the kernel wrote them.
 * The arrays are shared, not copied: callers must not modify what the accessors return.
 */
public final class CmpRecords {
    private final byte[] types;
    private final long[] arg1;
    private final long[] arg2;
    private final long[] ips;

    public CmpRecords(byte[] types, long[] arg1, long[] arg2, long[] ips) {
        if (arg1.length != types.length || arg2.length != types.length || ips.length != types.length) {
            throw new IllegalArgumentException("CMP columns differ in length");
        }
        for (byte type : types) {
            if (type < 0 || type > KcovAbi.KCOV_CMP_MAX_TYPE) {
                throw new IllegalArgumentException("CMP type " + type + " is not in 0.." + KcovAbi.KCOV_CMP_MAX_TYPE);
            }
        }
        this.types = types;
        this.arg1 = arg1;
        this.arg2 = arg2;
        this.ips = ips;
    }

    public int size() {
        return types.length;
    }

    public int type(int record) {
        return types[record];
    }

    /** Whether one operand is a compile-time constant ({@code KCOV_CMP_CONST}). */
    public boolean isConstant(int record) {
        return (types[record] & KcovAbi.KCOV_CMP_CONST) != 0;
    }

    /** Operand size in bytes: 1, 2, 4 or 8. */
    public int operandSize(int record) {
        return 1 << ((types[record] & KcovAbi.KCOV_CMP_SIZE_MASK) >> 1);
    }

    public long arg1(int record) {
        return arg1[record];
    }

    public long arg2(int record) {
        return arg2[record];
    }

    public long ip(int record) {
        return ips[record];
    }

    /** The type column (shared). */
    public byte[] types() {
        return types;
    }

    public long[] arg1s() {
        return arg1;
    }

    public long[] arg2s() {
        return arg2;
    }

    /** The ip column (shared): return addresses of the comparison callbacks, in record order. */
    public long[] ips() {
        return ips;
    }
}
