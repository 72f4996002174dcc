package dev.kcovexplorer.kcov.agent;

import java.util.Arrays;

/** A growing {@code long[]} that recorded coverage is appended to. */
final class WordBuffer {
    private long[] words = new long[1 << 12];
    private int size;

    synchronized void append(long[] more) {
        if (size + more.length > words.length) {
            long wanted = Math.max((long) size + more.length, (long) words.length * 2);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("more than 2^31 recorded words: record for a shorter time");
            }
            words = Arrays.copyOf(words, (int) wanted);
        }
        System.arraycopy(more, 0, words, size, more.length);
        size += more.length;
    }

    synchronized long[] array() {
        return words;
    }

    synchronized int size() {
        return size;
    }

    /** How many distinct values the first {@code size} words hold (PC mode: unique PCs). */
    synchronized int distinct() {
        long[] sorted = Arrays.copyOf(words, size);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }
}
