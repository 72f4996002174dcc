package dev.kcovexplorer.app.model;

import java.util.Locale;

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
        return String.format(Locale.ROOT, "%d.%d%%", tenths / 10, tenths % 10);
    }

    /** Fraction 0..1 for bars; 0 when there is nothing to cover. */
    public static double fraction(long covered, long total) {
        return total <= 0 ? 0 : (double) covered / total;
    }

    /** 1234567 -> "1,234,567". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "+12 / −3" for diff columns; "" when nothing changed. */
    public static String delta(long gained, long lost) {
        if (gained == 0 && lost == 0) {
            return "";
        }
        return "+" + gained + " / \u2212" + lost;
    }
}
