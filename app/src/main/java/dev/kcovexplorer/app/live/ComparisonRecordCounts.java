package dev.kcovexplorer.app.live;

import dev.kcovexplorer.app.model.cmp.ComparisonSummarizer;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.kcov.CmpRecords;
import dev.kcovexplorer.kcov.KcovAbi;
import java.util.Arrays;

/**
 * The TRACE_CMP records of a live collection as distinct records {@code {type, arg1, arg2, ip}} with how
 * often each came, in an open-addressing table: memory grows with what is different, not with the
 * trace (a loop comparing the same values a million times is one entry). Summarized on demand exactly as
 * a dump of the same records would be. Not thread-safe: {@link LiveCoverage} guards it.
 */
final class ComparisonRecordCounts {
    private static final long K1 = 0x9E37_79B9_7F4A_7C15L;
    private static final long K2 = 0xC2B2_AE3D_27D4_EB4FL;
    private static final long K3 = 0x1656_67B1_9E37_79F9L;

    private byte[] type = new byte[1 << 10];
    private long[] arg1 = new long[1 << 10];
    private long[] arg2 = new long[1 << 10];
    private long[] ip = new long[1 << 10];
    private long[] count = new long[1 << 10];
    private int size;

    /** Counts one record; false (and nothing counted) when its type is none of kcov's. */
    boolean add(long recordType, long a1, long a2, long recordIp) {
        if (Long.compareUnsigned(recordType, KcovAbi.KCOV_CMP_MAX_TYPE) > 0) {
            return false;
        }
        if (size * 2 >= count.length) {
            grow();
        }
        int mask = count.length - 1;
        int s = slot(recordType, a1, a2, recordIp, mask);
        while (count[s] != 0) {
            if (type[s] == recordType && arg1[s] == a1 && arg2[s] == a2 && ip[s] == recordIp) {
                count[s]++;
                return true;
            }
            s = (s + 1) & mask;
        }
        type[s] = (byte) recordType;
        arg1[s] = a1;
        arg2[s] = a2;
        ip[s] = recordIp;
        count[s] = 1;
        size++;
        return true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The records so far, summarized per ip keeping the {@code top} most frequent pairs. */
    ComparisonSummary summary(int top) {
        byte[] types = new byte[size];
        long[] a1 = new long[size];
        long[] a2 = new long[size];
        long[] ips = new long[size];
        long[] weights = new long[size];
        int n = 0;
        for (int s = 0; s < count.length; s++) {
            if (count[s] != 0) {
                types[n] = type[s];
                a1[n] = arg1[s];
                a2[n] = arg2[s];
                ips[n] = ip[s];
                weights[n++] = count[s];
            }
        }
        return ComparisonSummarizer.summarizeCounted(new CmpRecords(types, a1, a2, ips), weights, top);
    }

    private void grow() {
        byte[] oldType = type;
        long[] oldArg1 = arg1;
        long[] oldArg2 = arg2;
        long[] oldIp = ip;
        long[] oldCount = count;
        int capacity = oldCount.length * 2;
        type = new byte[capacity];
        arg1 = new long[capacity];
        arg2 = new long[capacity];
        ip = new long[capacity];
        count = new long[capacity];
        int mask = capacity - 1;
        for (int o = 0; o < oldCount.length; o++) {
            if (oldCount[o] != 0) {
                int s = slot(oldType[o], oldArg1[o], oldArg2[o], oldIp[o], mask);
                while (count[s] != 0) {
                    s = (s + 1) & mask;
                }
                type[s] = oldType[o];
                arg1[s] = oldArg1[o];
                arg2[s] = oldArg2[o];
                ip[s] = oldIp[o];
                count[s] = oldCount[o];
            }
        }
    }

    private static int slot(long t, long a1, long a2, long recordIp, int mask) {
        long h = a1 * K1 ^ a2 * K2 ^ recordIp * K3 ^ t;
        return (int) (h ^ (h >>> 31)) & mask;
    }
}
