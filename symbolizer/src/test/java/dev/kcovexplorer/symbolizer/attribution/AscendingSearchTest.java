package dev.kcovexplorer.symbolizer.attribution;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The galloping search answers exactly like a binary search, for keys in any order. */
class AscendingSearchTest {
    @Property
    void findsWhatBinarySearchFinds(@ForAll @Size(max = 200) List<@LongRange(min = -500, max = 500) Long> values,
                                    @ForAll @Size(max = 300) List<@LongRange(min = -520, max = 520) Long> keys,
                                    @ForAll boolean sortKeys) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        long[] queries = keys.stream().mapToLong(Long::longValue).toArray();
        if (sortKeys) {
            Arrays.sort(queries);
        }
        AscendingSearch search = new AscendingSearch(sorted);
        for (long key : queries) {
            int expected = Arrays.binarySearch(sorted, key);
            assertThat(search.find(key)).as("key %d", key).isEqualTo(expected >= 0 ? expected : -1);
        }
    }
}
