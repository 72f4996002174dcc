package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PcCounterTest {

    @Property(tries = 300)
    void countsMatchATreeMap(@ForAll @Size(max = 3000) List<@LongRange(min = -50, max = 2000) Long> offsets) {
        long[] trace = offsets.stream().mapToLong(o -> o <= 0 ? o : 0xffffffff81000000L + o).toArray();
        assertMatchesTreeMap(trace);
    }

    @Test
    void mostlyUniqueTracesTakeTheSortingPathWithTheSameResult() {
        long[] trace = new long[300_000];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = 0xffffffff81000000L + (i * 7919L) % 250_000; // > n/8 distinct, some repeats
        }
        trace[5] = 0;
        assertMatchesTreeMap(trace);
    }

    private static void assertMatchesTreeMap(long[] trace) {
        TreeMap<Long, Integer> expected = new TreeMap<>();
        for (long pc : trace) {
            expected.merge(pc, 1, Integer::sum);
        }
        PcHitTable.Counts counts = PcCounter.count(trace);
        assertThat(counts.pcs()).containsExactly(expected.keySet().stream().mapToLong(Long::longValue).toArray());
        assertThat(counts.hits()).containsExactly(expected.values().stream().mapToInt(Integer::intValue).toArray());
    }
}
