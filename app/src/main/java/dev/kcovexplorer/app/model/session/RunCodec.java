package dev.kcovexplorer.app.model.session;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A run's sorted unique PCs (first PC, then gaps) and hit counts, as varints. */
final class RunCodec {
    private static final int MAX_PCS = 1 << 28;

    private RunCodec() {
    }

    /** What a run entry holds. */
    record Pcs(long[] uniquePcs, int[] hitCounts) {
    }

    static void write(long[] uniquePcs, int[] hitCounts, DataOutputStream out) throws IOException {
        Varints.write(out, uniquePcs.length);
        for (int i = 0; i < uniquePcs.length; i++) {
            if (i == 0) {
                out.writeLong(uniquePcs[0]);
            } else {
                Varints.write(out, uniquePcs[i] - uniquePcs[i - 1]);
            }
        }
        for (int i = 0; i < uniquePcs.length; i++) {
            Varints.write(out, hitCounts == null ? 1 : hitCounts[i]);
        }
    }

    /** Reads a run from a stream whose {@code available()} is what is left of the entry (bytes in memory). */
    static Pcs read(DataInputStream in) throws IOException {
        // Every PC takes at least one byte and its count another: a count beyond that is a lie, not an allocation.
        int n = Varints.readInt(in, Math.min(MAX_PCS, in.available() / 2 + 1), "PC count");
        long[] pcs = new long[n];
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                pcs[0] = in.readLong();
            } else {
                pcs[i] = pcs[i - 1] + Varints.read(in);
                if (pcs[i] <= pcs[i - 1]) {
                    throw new IOException("PCs are not sorted and unique at entry " + i);
                }
            }
        }
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            counts[i] = Varints.readInt(in, Integer.MAX_VALUE, "hit count");
        }
        return new Pcs(pcs, counts);
    }
}
