package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.PcHitTable;
import org.junit.jupiter.api.Test;

class PathSignalTest {
    /** AFL's count_class_lookup8, written out: the class of every hit count up to 255. */
    private static int aflClass(int hits) {
        if (hits >= 128) return 7;
        if (hits >= 32) return 6;
        if (hits >= 16) return 5;
        if (hits >= 8) return 4;
        if (hits >= 4) return 3;
        return hits - 1;
    }

    @Test
    void hitCountsFallIntoAflsClasses() {
        for (int hits = 1; hits < 300; hits++) {
            assertThat(PathSignal.bucket(hits)).as("hits %d", hits).isEqualTo(aflClass(Math.min(hits, 255)));
        }
    }

    @Test
    void aKnownPathBringsNothingNewAndALoopTakenMoreOftenDoes() {
        long a = 0xffffffff81000010L;
        long b = 0xffffffff81000020L;
        long c = 0xffffffff81000030L;
        PcHitTable seen = new PcHitTable();
        PathSignal first = new PathSignal();
        first.follow(new long[] {a, b, c});
        assertThat(first.absorbInto(seen)).isEqualTo(3); // start→a, a→b, b→c

        PathSignal same = new PathSignal();
        same.follow(new long[] {a, b});
        same.follow(new long[] {c}); // split across two drains: the same edges
        assertThat(same.absorbInto(seen)).isZero();

        PathSignal otherBranch = new PathSignal();
        otherBranch.follow(new long[] {a, c}); // same PCs, a new edge a→c
        assertThat(otherBranch.absorbInto(seen)).isEqualTo(1);

        PathSignal loop = new PathSignal();
        loop.follow(new long[] {a, b, a, b, a, b, a, b, c}); // a→b four times: class 4–7; b→a three: new
        assertThat(loop.absorbInto(seen)).isEqualTo(2);
    }
}
