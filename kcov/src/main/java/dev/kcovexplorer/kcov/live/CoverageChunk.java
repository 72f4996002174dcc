package dev.kcovexplorer.kcov.live;

import dev.kcovexplorer.kcov.TraceMode;

/**
 * Entries copied out of a kcov area by one {@link CoverageArea#drain()}.
 *
 * @param mode     how to read {@code words}: one PC per word, or 4-word comparison records
 * @param words    the entries in the order the kernel wrote them (without the count word)
 * @param overflow the area was full when drained: the kernel dropped entries since the previous drain
 */
public record CoverageChunk(TraceMode mode, long[] words, boolean overflow) {

    public int entryCount() {
        return words.length / mode.wordsPerEntry();
    }

    public boolean isEmpty() {
        return words.length == 0;
    }
}
