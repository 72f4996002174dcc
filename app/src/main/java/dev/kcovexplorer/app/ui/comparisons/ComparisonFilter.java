package dev.kcovexplorer.app.ui.comparisons;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the Comparisons window shows: rows whose run, function, location, kind, values or notes contain
 * every word typed, optionally only the sites with a constant never matched. No JavaFX: it runs off the
 * FX thread.
 */
public record ComparisonFilter(String text, boolean missedOnly) {

    public ComparisonFilter {
        text = text == null ? "" : text;
    }

    public List<ComparisonRow> apply(List<ComparisonRow> rows) {
        String[] words = text.trim().toLowerCase(Locale.ROOT).split("\\s+");
        List<ComparisonRow> kept = new ArrayList<>();
        outer:
        for (ComparisonRow row : rows) {
            if (missedOnly && !row.missedConstant()) {
                continue;
            }
            String haystack = (row.run() + ' ' + row.site().function() + ' ' + row.location() + ' ' + row.kind() + ' '
                    + row.values() + ' ' + row.note() + ' ' + row.change()).toLowerCase(Locale.ROOT);
            for (String word : words) {
                if (!word.isEmpty() && !haystack.contains(word)) {
                    continue outer;
                }
            }
            kept.add(row);
        }
        return kept;
    }
}
