package dev.kcovexplorer.symbolizer.index;

/**
 * Return addresses that kcov records when a function tail-calls the PC callback: R follows a direct
 * {@code call F}, and F (or a function F tail-jumps to, one level) ends in {@code jmp
 * __sanitizer_cov_trace_pc}, so the callback sees F's caller's return address R.
 * Entry {@code i} maps {@code returnAddresses[i]} (sorted) to the tail-call sites
 * {@code candidates[candidateStart[i] .. candidateStart[i+1]-1]} (sorted); one site is an exact
 * attribution.
 */
public record TailCallTable(long[] returnAddresses, int[] candidateStart, long[] candidates, Links links) {
    static final TailCallTable EMPTY = new TailCallTable(new long[0], new int[] {0}, new long[0], Links.NONE);

    /**
     * The image's {@link TailCallLinks}, export candidates as tail-call site addresses (the index turns them into
     * point indices).
     */
    public record Links(long[] importReturns, String[] importNames, String[] exportNames, int[] exportCandidateStart,
                        long[] exportSites, String[] forwardNames, String[] forwardTargets) {
        static final Links NONE = new Links(new long[0], new String[0], new String[0], new int[] {0}, new long[0],
                new String[0], new String[0]);
    }

    public int size() {
        return returnAddresses.length;
    }

    public int candidateCount(int entry) {
        return candidateStart[entry + 1] - candidateStart[entry];
    }
}
