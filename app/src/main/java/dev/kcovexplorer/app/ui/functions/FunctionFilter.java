package dev.kcovexplorer.app.ui.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * What the Functions window shows: functions whose name, file or module contains every word typed, in a
 * coverage class. No JavaFX: a kernel's 80,000 functions are filtered off the FX thread.
 */
public record FunctionFilter(String text, Shown shown) {
    public static final FunctionFilter ALL = new FunctionFilter("", Shown.ALL);

    /** Coverage classes to narrow to. */
    public enum Shown {
        ALL("All functions", row -> true),
        REACHED("Reached", row -> row.coveredPoints() > 0),
        FULL("Fully covered", row -> row.points() > 0 && row.coveredPoints() == row.points()),
        PARTIAL("Partly covered", row -> row.coveredPoints() > 0 && row.coveredPoints() < row.points()),
        MISSED("Not reached", row -> row.coveredPoints() == 0),
        CHANGED("Changed in the diff", row -> row.gainedPoints() + row.lostPoints() > 0);

        private final String label;
        private final Predicate<FunctionRow> test;

        Shown(String label, Predicate<FunctionRow> test) {
            this.label = label;
            this.test = test;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public FunctionFilter {
        text = text == null ? "" : text;
        shown = shown == null ? Shown.ALL : shown;
    }

    public boolean isAll() {
        return text.isBlank() && shown == Shown.ALL;
    }

    /** The rows this filter keeps, in their order. */
    public List<FunctionRow> apply(List<FunctionRow> rows) {
        if (isAll()) {
            return rows;
        }
        String[] words = text.isBlank() ? new String[0] : text.trim().toLowerCase(Locale.ROOT).split("\\s+");
        List<FunctionRow> kept = new ArrayList<>();
        for (FunctionRow row : rows) {
            if (shown.test.test(row) && containsAll(row, words)) {
                kept.add(row);
            }
        }
        return kept;
    }

    private static boolean containsAll(FunctionRow row, String[] words) {
        if (words.length == 0) {
            return true;
        }
        String name = row.name().toLowerCase(Locale.ROOT);
        String path = row.path().toLowerCase(Locale.ROOT);
        String module = row.module().toLowerCase(Locale.ROOT);
        for (String word : words) {
            if (!name.contains(word) && !path.contains(word) && !module.contains(word)) {
                return false;
            }
        }
        return true;
    }
}
