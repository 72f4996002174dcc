package dev.kcovexplorer.symbolizer.index;

/**
 * Return addresses that kcov records when a function tail-calls the PC callback: R follows a direct
 * {@code call F}, and F (or a function F tail-jumps to, one level) ends in {@code jmp
 * __sanitizer_cov_trace_pc}, so the callback sees F's caller's return address R.
 * Entry {@code i} maps {@code returnAddresses[i]} (sorted) to the tail-call sites
 * {@code candidates[candidateStart[i] .. candidateStart[i+1]-1]} (sorted); one site is an exact
 * attribution.
 */
public record TailCallTable(long[] returnAddresses, int[] candidateStart, long[] candidates) {

    public int size() {
        return returnAddresses.length;
    }

    public int candidateCount(int entry) {
        return candidateStart[entry + 1] - candidateStart[entry];
    }
}
