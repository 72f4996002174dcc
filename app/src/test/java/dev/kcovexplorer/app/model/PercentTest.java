package dev.kcovexplorer.app.model;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PercentTest {
    @Property
    void neverReachesHundredWhileSomethingIsUncovered(@ForAll @IntRange(min = 1, max = 10_000_000) int total,
                                                      @ForAll @IntRange(min = 0, max = 10_000_000) int covered) {
        int c = Math.min(covered, total);
        double percent = Percent.of(c, total);
        assertThat(percent).isBetween(0.0, 100.0);
        assertThat(percent == 100.0).isEqualTo(c == total);
        assertThat(Math.abs(percent - 100.0 * c / total)).isLessThanOrEqualTo(0.1);
    }

    @Test
    void formatsWithOneDecimalAndADashForNothing() {
        assertThat(Percent.format(1, 3)).isEqualTo("33.3%");
        assertThat(Percent.format(9999, 10000)).isEqualTo("99.9%");
        assertThat(Percent.format(0, 0)).isEqualTo("-");
    }
}
