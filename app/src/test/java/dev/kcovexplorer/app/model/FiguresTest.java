package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.cmp.OperandText;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures are written without a Formatter; what a Formatter writes is the oracle, digit for digit. */
class FiguresTest {
    @Property(tries = 2000)
    void countsAreGroupedAsTheFormatterGroupsThem(@ForAll long n) {
        assertThat(Figures.count(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }

    @Property(tries = 500)
    void smallCountsToo(@ForAll @LongRange(min = -100_000, max = 100_000) long n) {
        assertThat(Figures.count(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
    }

    @Test
    void everyGroupBoundaryAndTheExtremes() {
        for (long n : new long[] {0, 999, 1000, 99_999, 100_000, 999_999, 1_000_000, -999, -1000, -1_000_000,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            assertThat(Figures.count(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
        }
        assertThat(Figures.count(1_234_567)).isEqualTo("1,234,567");
    }

    @Property(tries = 2000)
    void percentagesAreWhatTheFormatterWrote(@ForAll @LongRange(min = -1L << 40, max = 1L << 40) long covered,
                                             @ForAll @LongRange(min = -1L << 40, max = 1L << 40) long total) {
        String expected;
        if (total <= 0) {
            expected = "\u2013";
        } else {
            long tenths = covered * 1000 / total;
            expected = String.format(Locale.ROOT, "%d.%d%%", tenths / 10, tenths % 10);
        }
        assertThat(Figures.percent(covered, total)).isEqualTo(expected);
    }

    @Property(tries = 2000)
    void operandsReadAsTheFormatterWroteThem(@ForAll long value, @ForAll @IntRange(min = 0, max = 8) int size) {
        String chars = OperandText.characters(value, size);
        assertThat(OperandText.describe(value, size)).isEqualTo(String.format(Locale.ROOT, "%s (%s)%s",
                OperandText.hex(value, size), OperandText.decimal(value, size), chars == null ? "" : " " + chars));
    }
}
