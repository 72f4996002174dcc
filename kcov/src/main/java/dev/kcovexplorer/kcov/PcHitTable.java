package dev.kcovexplorer.kcov;

import java.util.Arrays;

/**
 * Hit counts per PC without boxing: linear probing over one array of (pc, count) pairs, so a lookup
 * touches one cache line; grows at half load. The one table behind reading a dump and counting live
 * coverage. The PC 0 (never a kernel PC, but damaged input has it) is counted aside, as 0 marks a free slot.
 */
public final class PcHitTable {
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private int bits = 10;
    private long[] slots = new long[2 << bits];
    private int size;
    private long zeroHits;

    /** Counts one occurrence of {@code pc}; returns how often it was seen now (1: the first time). */
    public long add(long pc) {
        if (pc == 0) {
            return ++zeroHits;
        }
        int mask = (1 << bits) - 1;
        int slot = (int) ((pc * GOLDEN) >>> (64 - bits));
        while (true) {
            long k = slots[2 * slot];
            if (k == pc) {
                return ++slots[2 * slot + 1];
            }
            if (k == 0) {
                slots[2 * slot] = pc;
                slots[2 * slot + 1] = 1;
                if (++size * 2 > (1 << bits)) {
                    grow();
                }
                return 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** How often {@code pc} was seen, 0 if never. */
    public long hits(long pc) {
        if (pc == 0) {
            return zeroHits;
        }
        int mask = (1 << bits) - 1;
        for (int slot = (int) ((pc * GOLDEN) >>> (64 - bits)); slots[2 * slot] != 0; slot = (slot + 1) & mask) {
            if (slots[2 * slot] == pc) {
                return slots[2 * slot + 1];
            }
        }
        return 0;
    }

    /** The number of distinct PCs seen. */
    public int size() {
        return size + (zeroHits > 0 ? 1 : 0);
    }

    /** The distinct PCs in ascending order, and how often each was seen (saturated at {@link Integer#MAX_VALUE}). */
    public Counts sorted() {
        long[] pcs = new long[size()];
        int next = 0;
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != 0) {
                pcs[next++] = slots[i];
            }
        }
        Arrays.sort(pcs); // the PC 0, if any, sorts into place from the end
        int[] hits = new int[pcs.length];
        for (int i = 0; i < pcs.length; i++) {
            hits[i] = (int) Math.min(Integer.MAX_VALUE, hits(pcs[i]));
        }
        return new Counts(pcs, hits);
    }

    /** Sorted unique PCs and how often each occurs. */
    public record Counts(long[] pcs, int[] hits) {
    }

    private void grow() {
        long[] old = slots;
        bits++;
        slots = new long[2 << bits];
        int mask = (1 << bits) - 1;
        for (int i = 0; i < old.length; i += 2) {
            long key = old[i];
            if (key != 0) {
                int slot = (int) ((key * GOLDEN) >>> (64 - bits));
                while (slots[2 * slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[2 * slot] = key;
                slots[2 * slot + 1] = old[i + 1];
            }
        }
    }
}
