package dev.kcovexplorer.symbolizer.points;

/**
 * The coverage points of one image: call-site addresses of each kind, each array sorted ascending
 * (unsigned order equals signed order within one image's text, which never straddles the sign bit).
 *
 * @param calls       sites of {@code call __sanitizer_cov_trace_pc}
 * @param tails       sites of {@code jmp __sanitizer_cov_trace_pc}
 * @param comparisons sites of calls to the comparison hooks
 * @param callLength  bytes from a call to its return address (5 on x86, 4 on arm64)
 */
public record CoveragePoints(long[] calls, long[] tails, long[] comparisons, int callLength) {

    public long[] of(PointKind kind) {
        switch (kind) {
            case CALL:
                return calls;
            case TAIL:
                return tails;
            default:
                return comparisons;
        }
    }
}
