package dev.kcovexplorer.app.model;

/** Coverage percentages: one decimal, and never 100 while anything is uncovered (99.96% shows 99.9). */
public final class Percent {
    private Percent() {
    }

    /** {@code covered / total} in percent with one decimal; 0 when total is 0. */
    public static double of(long covered, long total) {
        if (total <= 0) {
            return 0;
        }
        double rounded = Math.round(1000.0 * covered / total) / 10.0;
        return covered < total && rounded >= 100 ? 99.9 : rounded;
    }

    /** "87.5%", or "-" when there is nothing to cover. */
    public static String format(long covered, long total) {
        return total <= 0 ? "-" : of(covered, total) + "%";
    }
}
