package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * An entry's weight falls with each dry mutant in a row, as 1 / (1 + dry / 4), stays above zero, comes back whole
 * with a find, and is the entry's own: another entry's tries, even an equal one's, do not touch it.
 */
class DryStreaksTest {
    @Property(tries = 500)
    void theWeightFollowsTheDryRunOfTheEntrysOwnMutants(@ForAll @Size(max = 60) List<Boolean> finds) {
        DryStreaks<String> streaks = new DryStreaks<>();
        String entry = new String("hub");
        String twin = new String("hub");
        int dry = 0;
        for (boolean found : finds) {
            double before = streaks.weight(entry);
            streaks.record(entry, found);
            streaks.record(twin, !found);
            dry = found ? 0 : dry + 1;
            double weight = streaks.weight(entry);
            assertThat(weight).isEqualTo(1.0 / (1.0 + dry / (double) DryStreaks.HALVING)).isPositive();
            if (found) {
                assertThat(weight).isEqualTo(1.0);
            } else {
                assertThat(weight).isLessThan(before);
            }
        }
        assertThat(streaks.weight(new String("hub"))).as("never tried").isEqualTo(1.0);
    }
}
