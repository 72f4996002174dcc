package dev.kcovexplorer.kcov.usb;

import dev.kcovexplorer.kcov.PcHitTable;

/**
 * One connection's coverage as a guided fuzzer's feedback: the edges between consecutive PCs of the trace (kcov
 * writes them in execution order), each with how often it was taken, counted in AFL's power-of-two buckets
 * (1, 2, 3, 4–7, 8–15, 16–31, 32–127, 128+). New PCs alone say nothing about a known parser taking a new
 * path through code it ran before, or running a loop more often (one more interface, endpoint or alternate
 * setting): exactly the steps that lead a mutated input towards the limits the USB core checks ("more
 * interfaces than bNumInterfaces", "too many alternate settings"). An edge across two remote sections (a
 * hub_event and an URB completion) is as deterministic as any other: the sections come in order.
 */
final class PathSignal {
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private final PcHitTable edges = new PcHitTable();
    private long previous;

    /** Follows the next PCs of the trace. */
    void follow(long[] pcs) {
        for (long pc : pcs) {
            edges.add(edge(previous, pc));
            previous = pc;
        }
    }

    /** Counts the connection's signals into the campaign's {@code seen}; answers how many it saw first. */
    int absorbInto(PcHitTable seen) {
        PcHitTable.Counts counts = edges.sorted();
        int fresh = 0;
        for (int i = 0; i < counts.pcs().length; i++) {
            if (seen.add(signal(counts.pcs()[i], counts.hits()[i])) == 1) {
                fresh++;
            }
        }
        return fresh;
    }

    static long edge(long from, long to) {
        long key = (Long.rotateLeft(from, 17) ^ to) * GOLDEN;
        return key == 0 ? 1 : key;
    }

    static long signal(long edge, long hits) {
        long key = edge ^ (bucket(hits) + 1) * 0xC2B2_AE3D_27D4_EB4FL;
        return key == 0 ? 1 : key;
    }

    /** AFL's hit-count classes: 1, 2, 3, 4–7, 8–15, 16–31, 32–127, 128 and more. */
    static int bucket(long hits) {
        if (hits <= 3) {
            return (int) hits - 1;
        }
        if (hits < 32) {
            return 63 - Long.numberOfLeadingZeros(hits) + 1; // 4–7: 3, 8–15: 4, 16–31: 5
        }
        return hits < 128 ? 6 : 7;
    }
}
