package dev.kcovexplorer.app.model;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The radix sort against the JDK's sort: the same order, and equal keys keep their payloads' input order. */
class RadixSortTest {
    @Property
    void sortsLikeTheJdkAndIsStable(@ForAll @Size(max = 300) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> wide,
                                    @ForAll @IntRange(min = 0, max = 62) int shift) {
        // Shifted down, keys collide (stability matters) and share high digits (skipped passes).
        long[] keys = wide.stream().mapToLong(k -> k >>> shift).toArray();
        int[] payload = new int[keys.length];
        Arrays.setAll(payload, i -> i);
        long[] input = keys.clone();

        RadixSort.sort(keys, payload, keys.length);

        Integer[] expected = new Integer[input.length];
        Arrays.setAll(expected, i -> i);
        Arrays.sort(expected, Comparator.comparingLong((Integer i) -> input[i]));
        assertThat(payload).containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
        long[] sorted = input.clone();
        Arrays.sort(sorted);
        assertThat(keys).containsExactly(sorted);
    }

    @Property
    void sortsOnlyThePrefixAndWithoutPayload(@ForAll @Size(max = 200) List<@IntRange(min = 0) Integer> values,
                                             @ForAll @IntRange(min = 0, max = 200) int prefix) {
        long[] keys = values.stream().mapToLong(v -> (long) v << 20 | v % 7).toArray();
        int n = Math.min(prefix, keys.length);
        long[] input = keys.clone();

        RadixSort.sort(keys, null, n);

        long[] head = Arrays.copyOf(input, n);
        Arrays.sort(head);
        assertThat(Arrays.copyOf(keys, n)).containsExactly(head);
        assertThat(Arrays.copyOfRange(keys, n, keys.length)).containsExactly(Arrays.copyOfRange(input, n, input.length));
    }
}
