package dev.kcovexplorer.app.ui.comparisons;

import dev.kcovexplorer.app.model.ComparisonSite;

/**
 * One row of the Comparisons tool window: a comparison site of a CMP run with what it compared.
 *
 * @param run    the run's label (in diff mode, B's, or A's for a site lost in B)
 * @param values the most frequent pairs, "arg1/arg2 ×count, …"
 * @param note   constants never matched and the uncovered lines after the site in PC runs, "" when none
 * @param change in diff mode: "gained", "lost", "+N new values"; "" otherwise
 */
public record ComparisonRow(String run, ComparisonSite site, String values, String note, String change) {

    /** Where double-click goes: the site's innermost file, null when it has no line. */
    public String path() {
        return site.file();
    }

    public int line() {
        return site.line();
    }

    public String location() {
        return site.location();
    }

    public String kind() {
        return site.kind().id() + (site.size() == 0 ? "" : " " + site.size());
    }

    public long records() {
        return site.records();
    }

    public int distinct() {
        return site.distinct();
    }

    public boolean missedConstant() {
        return !site.missedConstants().isEmpty();
    }
}
