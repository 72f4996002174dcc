package dev.kcovexplorer.app.model;

/** How the window prints coverage figures, identically in the tree, tables and status bar (no JavaFX: the views and their snapshots share it). */
public final class Figures {
    private Figures() {
    }

    /**
     * "27.3%", truncated (not rounded) to one decimal so 99.96% never reads as 100% while something is
     * uncovered; "–" when there is nothing to cover.
     */
    public static String percent(long covered, long total) {
        if (total <= 0) {
            return "\u2013";
        }
        long tenths = covered * 1000 / total;
        return new StringBuilder(8).append(tenths / 10).append('.').append(tenths % 10).append('%').toString();
    }

    /** Fraction 0..1 for bars; 0 when there is nothing to cover. */
    public static double fraction(long covered, long total) {
        return total <= 0 ? 0 : (double) covered / total;
    }

    /**
     * 1234567 -> "1,234,567", as {@code String.format(Locale.ROOT, "%,d", n)} writes it. Not through a Formatter:
     * parsing the pattern for every figure was a third of the CPU of the start view's comparison hover texts, and
     * the tree's and tables' cells format on the FX thread.
     */
    public static String count(long n) {
        String digits = Long.toString(n);
        int sign = n < 0 ? 1 : 0;
        int length = digits.length() - sign;
        if (length <= 3) {
            return digits;
        }
        StringBuilder grouped = new StringBuilder(digits.length() + (length - 1) / 3);
        int group = sign + (length % 3 == 0 ? 3 : length % 3);
        grouped.append(digits, 0, group);
        for (; group < digits.length(); group += 3) {
            grouped.append(',').append(digits, group, group + 3);
        }
        return grouped.toString();
    }

    /** "+12 / −3" for diff columns; "" when nothing changed. */
    public static String delta(long gained, long lost) {
        if (gained == 0 && lost == 0) {
            return "";
        }
        return "+" + gained + " / \u2212" + lost;
    }
}
