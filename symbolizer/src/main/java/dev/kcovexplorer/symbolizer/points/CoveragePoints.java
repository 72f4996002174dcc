package dev.kcovexplorer.symbolizer.points;

import java.util.Arrays;

/**
 * The coverage points of one image: call-site addresses of each kind, each array sorted ascending
 * (unsigned order equals signed order within one image's text, which never straddles the sign bit).
 *
 * @param calls           sites of {@code call __sanitizer_cov_trace_pc}
 * @param tails           sites of {@code jmp __sanitizer_cov_trace_pc}
 * @param comparisonSites sites of calls and tail calls of the comparison hooks
 * @param comparisonTypes the {@link ComparisonType} of each comparison site (tail bit included)
 * @param callLength      bytes from a call to its return address (5 on x86, 4 on arm64)
 */
public record CoveragePoints(long[] calls, long[] tails, long[] comparisonSites, byte[] comparisonTypes,
                             int callLength) {

    public CoveragePoints {
        if (comparisonTypes.length != comparisonSites.length) {
            throw new IllegalArgumentException("one type per comparison site");
        }
    }

    /** Sites of calls (not tail calls) of the comparison hooks. */
    public long[] comparisons() {
        return comparisonSites(false);
    }

    /** Sites of tail calls ({@code jmp}) of the comparison hooks. */
    public long[] comparisonTails() {
        return comparisonSites(true);
    }

    private long[] comparisonSites(boolean tail) {
        long[] out = new long[comparisonSites.length];
        int n = 0;
        for (int i = 0; i < comparisonSites.length; i++) {
            if (ComparisonType.isTailCall(comparisonTypes[i]) == tail) {
                out[n++] = comparisonSites[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    public long[] of(PointKind kind) {
        switch (kind) {
            case CALL:
                return calls;
            case TAIL:
                return tails;
            default:
                return comparisons();
        }
    }
}
