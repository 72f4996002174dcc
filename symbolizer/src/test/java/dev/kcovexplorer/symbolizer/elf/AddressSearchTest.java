package dev.kcovexplorer.symbolizer.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The one upper bound every address lookup uses, against a linear scan in unsigned order. */
class AddressSearchTest {
    @Property
    void findsTheFirstAddressAboveInUnsignedOrder(@ForAll @Size(max = 40) long[] addresses, @ForAll long probe,
                                                   @ForAll int fromSeed, @ForAll int toSeed) {
        long[] sorted = Arrays.stream(addresses).boxed().sorted(Long::compareUnsigned).mapToLong(Long::longValue)
                .toArray();
        int from = sorted.length == 0 ? 0 : Math.floorMod(fromSeed, sorted.length + 1);
        int to = from + Math.floorMod(toSeed, sorted.length - from + 1);
        long key = sorted.length > 0 && (probe & 1) == 0 ? sorted[Math.floorMod(probe, sorted.length)] : probe;

        int expected = from;
        while (expected < to && Long.compareUnsigned(sorted[expected], key) <= 0) {
            expected++;
        }
        assertThat(AddressSearch.upperBound(sorted, from, to, key)).isEqualTo(expected);
    }
}
