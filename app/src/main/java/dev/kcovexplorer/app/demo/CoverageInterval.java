package dev.kcovexplorer.app.demo;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;
import java.util.Arrays;

/**
 * The coverage that arrived between two snapshots of one live collection (each a {@link RunInput} with
 * sorted unique PCs and their hit counts): the PCs hit in between, each as often as it was hit in between.
 * This is how a timeline action's own coverage becomes a run, without keeping the trace.
 */
final class CoverageInterval {
    private CoverageInterval() {
    }

    /** What {@code after} holds beyond {@code before} (a snapshot taken earlier of the same collection). */
    static RunInput between(RunInput before, RunInput after, String label, String remoteSource) {
        long[] pcs = after.uniquePcs();
        int[] hits = counts(after);
        long[] earlierPcs = before == null ? new long[0] : before.uniquePcs();
        int[] earlierHits = before == null ? new int[0] : counts(before);
        long[] outPcs = new long[pcs.length];
        int[] outHits = new int[pcs.length];
        int n = 0;
        int j = 0;
        for (int i = 0; i < pcs.length; i++) {
            while (j < earlierPcs.length && earlierPcs[j] < pcs[i]) {
                j++;
            }
            int earlier = j < earlierPcs.length && earlierPcs[j] == pcs[i] ? earlierHits[j] : 0;
            if (hits[i] > earlier) {
                outPcs[n] = pcs[i];
                outHits[n++] = hits[i] - earlier;
            }
        }
        long entries = Math.max(0, after.entries() - (before == null ? 0 : before.entries()));
        return new RunInput(label, null, remoteSource, TraceMode.PC.id(), null, entries,
                after.overflow() && (before == null || !before.overflow()), Arrays.copyOf(outPcs, n),
                Arrays.copyOf(outHits, n), PcKind.RETURN_ADDRESS);
    }

    /** Both runs' PCs in one run, hits added where both have a PC. */
    static RunInput union(RunInput a, RunInput b, String label, String remoteSource) {
        long[] x = a.uniquePcs();
        long[] y = b.uniquePcs();
        int[] xh = counts(a);
        int[] yh = counts(b);
        long[] pcs = new long[x.length + y.length];
        int[] hits = new int[pcs.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < x.length || j < y.length) {
            if (j == y.length || (i < x.length && x[i] < y[j])) {
                pcs[n] = x[i];
                hits[n++] = xh[i++];
            } else if (i == x.length || y[j] < x[i]) {
                pcs[n] = y[j];
                hits[n++] = yh[j++];
            } else {
                pcs[n] = x[i];
                hits[n++] = (int) Math.min(Integer.MAX_VALUE, (long) xh[i++] + yh[j++]);
            }
        }
        return new RunInput(label, null, remoteSource, TraceMode.PC.id(), null, a.entries() + b.entries(),
                a.overflow() || b.overflow(), Arrays.copyOf(pcs, n), Arrays.copyOf(hits, n), PcKind.RETURN_ADDRESS);
    }

    private static int[] counts(RunInput run) {
        if (run.hitCounts() != null) {
            return run.hitCounts();
        }
        int[] ones = new int[run.uniquePcs().length];
        Arrays.fill(ones, 1);
        return ones;
    }
}
