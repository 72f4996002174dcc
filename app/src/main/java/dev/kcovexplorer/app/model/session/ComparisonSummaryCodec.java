package dev.kcovexplorer.app.model.session;

import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.kcov.KcovAbi;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A CMP run's {@link ComparisonSummary} as varints ({@code cmp/N.bin}); the ips are the run's unique PCs,
 * stored once in {@code runs/N.bin}. Per ip: type, records, distinct pairs, first record + 1, the kept
 * pairs (arg1, arg2, count), the distinct constants seen and the kept constants (value, equal records).
 */
final class ComparisonSummaryCodec {
    private static final int MAX_TOP = 1 << 16;

    private ComparisonSummaryCodec() {
    }

    static void write(ComparisonSummary s, DataOutputStream out) throws IOException {
        Varints.write(out, s.ipCount());
        Varints.write(out, s.top());
        for (int i = 0; i < s.ipCount(); i++) {
            out.writeByte(s.type(i));
            Varints.write(out, s.records(i));
            Varints.write(out, s.distinct(i));
            Varints.write(out, s.firstRecord(i) + 1L);
            Varints.write(out, s.pairEnd(i) - s.pairStart(i));
            for (int p = s.pairStart(i); p < s.pairEnd(i); p++) {
                Varints.write(out, s.arg1(p));
                Varints.write(out, s.arg2(p));
                Varints.write(out, s.pairCount(p));
            }
            Varints.write(out, s.constantsSeen(i));
            Varints.write(out, s.constantEnd(i) - s.constantStart(i));
            for (int c = s.constantStart(i); c < s.constantEnd(i); c++) {
                Varints.write(out, s.constant(c));
                Varints.write(out, s.constantEqual(c));
            }
        }
    }

    /** @param ips the run's unique PCs, which the summary must cover one by one */
    static ComparisonSummary read(DataInputStream in, long[] ips) throws IOException {
        int n = Varints.readInt(in, Integer.MAX_VALUE, "ip count");
        if (n != ips.length) {
            throw new IOException("summarizes " + n + " ips, the run has " + ips.length);
        }
        int top = Varints.readInt(in, MAX_TOP, "pairs kept per ip");
        byte[] types = new byte[n];
        long[] records = new long[n];
        int[] distinct = new int[n];
        int[] firstRecord = new int[n];
        int[] pairStart = new int[n + 1];
        int[] constantStart = new int[n + 1];
        int[] constantsSeen = new int[n];
        Growing pairs = new Growing(3);
        Growing constants = new Growing(2);
        for (int i = 0; i < n; i++) {
            types[i] = in.readByte();
            if (types[i] < 0 || types[i] > KcovAbi.KCOV_CMP_MAX_TYPE) {
                throw new IOException("ip " + i + " has the record type " + types[i] + ", expected 0.."
                        + KcovAbi.KCOV_CMP_MAX_TYPE);
            }
            records[i] = Varints.read(in);
            distinct[i] = Varints.readInt(in, Integer.MAX_VALUE, "distinct pairs");
            firstRecord[i] = Varints.readInt(in, Integer.MAX_VALUE, "first record") - 1;
            int kept = Varints.readInt(in, top, "pairs kept");
            for (int p = 0; p < kept; p++) {
                pairs.add(Varints.read(in), Varints.read(in), Varints.read(in));
            }
            pairStart[i + 1] = pairs.size;
            constantsSeen[i] = Varints.readInt(in, Integer.MAX_VALUE, "constants seen");
            int keptConstants = Varints.readInt(in, top, "constants kept");
            for (int c = 0; c < keptConstants; c++) {
                constants.add(Varints.read(in), Varints.read(in), 0);
            }
            constantStart[i + 1] = constants.size;
        }
        try {
            return new ComparisonSummary(top, ips, types, records, distinct, firstRecord, pairStart,
                    pairs.column(0), pairs.column(1), pairs.column(2), constantStart, constants.column(0),
                    constants.column(1), constantsSeen);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** A few growable long columns. */
    private static final class Growing {
        long[][] columns;
        int size;

        Growing(int width) {
            columns = new long[width][64];
        }

        void add(long a, long b, long c) {
            if (size == columns[0].length) {
                for (int k = 0; k < columns.length; k++) {
                    columns[k] = Arrays.copyOf(columns[k], size * 2);
                }
            }
            long[] values = {a, b, c};
            for (int k = 0; k < columns.length; k++) {
                columns[k][size] = values[k];
            }
            size++;
        }

        long[] column(int k) {
            return Arrays.copyOf(columns[k], size);
        }
    }
}
