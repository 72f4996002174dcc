package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.TraceMode;

/**
 * One batch of coverage streamed by the agent.
 *
 * @param sequence numbered from 1 per agent, without gaps; a gap seen by a client means batches were lost
 * @param mode     {@link TraceMode#PC}: one PC per word; {@link TraceMode#CMP}: 4-word records
 * @param overflow the kernel dropped entries before this batch (its area was full)
 * @param words    the entries in execution order
 */
public record CoverageBatch(long sequence, TraceMode mode, boolean overflow, long[] words) {

    public int entryCount() {
        return words.length / mode.wordsPerEntry();
    }
}
