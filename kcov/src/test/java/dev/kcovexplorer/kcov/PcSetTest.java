package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PcSetTest {

    @Property
    void operationsMatchJavaUtilSets(@ForAll @Size(max = 40) List<Long> a, @ForAll @Size(max = 40) List<Long> b) {
        PcSet x = PcSet.fromUnsorted(unbox(a));
        PcSet y = PcSet.fromUnsorted(unbox(b));
        check(x.union(y), a, b, (s, t) -> { s.addAll(t); return s; });
        check(x.intersect(y), a, b, (s, t) -> { s.retainAll(t); return s; });
        check(x.minus(y), a, b, (s, t) -> { s.removeAll(t); return s; });
        check(x.symmetricDifference(y), a, b, (s, t) -> {
            TreeSet<Long> both = new TreeSet<>(s);
            both.retainAll(t);
            s.addAll(t);
            s.removeAll(both);
            return s;
        });
        for (long pc : unbox(a)) {
            assertThat(x.contains(pc)).isTrue();
        }
    }

    @Property
    void overlappingRangesOfKernelAddresses(@ForAll @Size(max = 200) List<@net.jqwik.api.constraints.LongRange(
            min = 0, max = 300) Long> offsets, @ForAll @Size(max = 200) List<@net.jqwik.api.constraints.LongRange(
            min = 0, max = 300) Long> others) {
        // Small ranges make shared elements likely; the kernel base makes the values negative longs.
        long base = 0xffffffff81000000L;
        List<Long> a = offsets.stream().map(o -> base + o).toList();
        List<Long> b = others.stream().map(o -> base + o).toList();
        check(PcSet.fromUnsorted(unbox(a)).intersect(PcSet.fromUnsorted(unbox(b))), a, b,
                (s, t) -> { s.retainAll(t); return s; });
        check(PcSet.fromUnsorted(unbox(a)).minus(PcSet.fromUnsorted(unbox(b))), a, b,
                (s, t) -> { s.removeAll(t); return s; });
    }

    @Test
    void ofRejectsUnsortedOrDuplicateInput() {
        assertThatThrownBy(() -> PcSet.of(new long[] {3, 1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PcSet.of(new long[] {1, 1})).isInstanceOf(IllegalArgumentException.class);
        assertThat(PcSet.of(new long[] {-5, 1, 7}).size()).isEqualTo(3);
    }

    private static void check(PcSet actual, List<Long> a, List<Long> b, BinaryOperator<TreeSet<Long>> op) {
        TreeSet<Long> expected = op.apply(new TreeSet<>(a), new TreeSet<>(b));
        assertThat(actual.toArray()).containsExactly(unbox(List.copyOf(expected)));
    }

    private static long[] unbox(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
