package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.LiveCoverage;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An action's coverage between two snapshots of a live collection, checked against the batches that arrived
 * in between counted on their own.
 */
class CoverageIntervalTest {
    @Test
    void theIntervalHoldsExactlyWhatArrivedBetweenTheSnapshots() {
        Random random = new Random(13);
        LiveCoverage live = new LiveCoverage();
        long sequence = 1;
        for (; sequence <= 20; sequence++) {
            live.add(batch(sequence, random));
        }
        RunInput before = live.toRun("before", null);
        Map<Long, Integer> between = new HashMap<>();
        long entries = 0;
        for (; sequence <= 35; sequence++) {
            CoverageBatch batch = batch(sequence, random);
            for (long pc : batch.words()) {
                between.merge(pc, 1, Integer::sum);
            }
            entries += batch.words().length;
            live.add(batch);
        }
        RunInput after = live.toRun("after", null);

        RunInput interval = CoverageInterval.between(before, after, "usb-kbd plug", "from here");

        assertThat(interval.label()).isEqualTo("usb-kbd plug");
        assertThat(interval.remoteSource()).isEqualTo("from here");
        assertThat(interval.entries()).isEqualTo(entries);
        Map<Long, Integer> got = new HashMap<>();
        for (int i = 0; i < interval.uniquePcs().length; i++) {
            got.put(interval.uniquePcs()[i], interval.hitCounts()[i]);
        }
        assertThat(got).isEqualTo(between);
        assertThat(CoverageInterval.between(null, before, "all", null).uniquePcs()).isEqualTo(before.uniquePcs());
    }

    @Test
    void aUnionAddsTheHitsOfPcsBothRunsHave() {
        LiveCoverage a = new LiveCoverage();
        a.add(new CoverageBatch(1, TraceMode.PC, false, new long[] {0x10, 0x20, 0x20}));
        LiveCoverage b = new LiveCoverage();
        b.add(new CoverageBatch(1, TraceMode.PC, false, new long[] {0x20, 0x30}));

        RunInput union = CoverageInterval.union(a.toRun("a", null), b.toRun("b", null), "both", "src");

        assertThat(union.uniquePcs()).containsExactly(0x10, 0x20, 0x30);
        assertThat(union.hitCounts()).containsExactly(1, 3, 1);
        assertThat(union.entries()).isEqualTo(5);
    }

    private static CoverageBatch batch(long sequence, Random random) {
        long[] pcs = new long[50];
        for (int i = 0; i < pcs.length; i++) {
            pcs[i] = 0xffffffff81000000L + 5L * random.nextInt(400);
        }
        return new CoverageBatch(sequence, TraceMode.PC, false, pcs);
    }
}
