package dev.kcovexplorer.app.ui.comparisons;

import java.util.List;

/** What the Comparisons tool window lists, from the composition shown; computed off the FX thread. */
public interface ComparisonSource {
    /** Nothing to list: no TRACE_CMP run in the composition. */
    ComparisonSource NONE = new ComparisonSource() {
        @Override
        public List<ComparisonRow> rows(String path) {
            return List.of();
        }

        @Override
        public String summary() {
            return "no TRACE_CMP run shown";
        }

        @Override
        public boolean isDiff() {
            return false;
        }
    };

    /** The sites of {@code path} (by their innermost frame), or with null every site the runs reached; slow. */
    List<ComparisonRow> rows(String path);

    /** "cmp: 1,234 of 20,518 sites reached". */
    String summary();

    boolean isDiff();
}
