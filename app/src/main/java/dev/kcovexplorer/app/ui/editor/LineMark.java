package dev.kcovexplorer.app.ui.editor;

/**
 * How one source line is painted: the coverage states, or in diff mode genhtml's four baseline
 * categories. Every mark has a CSS class (whole-line background, defined per theme) and a gutter glyph,
 * so the state is readable without colour.
 */
public enum LineMark {
    COVERED("covered", "\u2714", "covered", "covered: every point of the line ran"),
    PARTIAL("partial", "\u25D0", "partial", "partial: some points of the line ran"),
    UNCOVERED("uncovered", "\u2718", "uncovered", "uncovered: no point ran, but its function did"),
    NOT_EXECUTED("not-executed", "\u25CB", "not executed", "not executed: its function never ran"),
    NOT_INSTRUMENTED("not-instrumented", "", "not instrumented", "no coverage points"),
    EXCLUDED("excluded", "\u2205", "excluded by the expression",
            "excluded by the expression: a run it names hit the line, the expression took it away"),
    OUTSIDE_REMOTE("outside-remote", "\u2298", "outside remote section",
            "outside the remote section (not collected): kcov collects for a remote handle only between"
                    + " kcov_remote_start*() and kcov_remote_stop*()"),
    CBC("cbc", "=", "CBC kept", "CBC: covered in A and in B"),
    GBC("gbc", "+", "GBC gained", "GBC: gained in B"),
    LBC("lbc", "\u2212", "LBC lost", "LBC: lost in B"),
    UBC("ubc", "\u00B7", "UBC never", "UBC: uncovered in A and in B");

    private final String styleClass;
    private final String glyph;
    private final String legendName;
    private final String description;

    LineMark(String styleClass, String glyph, String legendName, String description) {
        this.styleClass = styleClass;
        this.glyph = glyph;
        this.legendName = legendName;
        this.description = description;
    }

    /** The CSS class on the line's paragraph and gutter ("line-covered"). */
    public String styleClass() {
        return "line-" + styleClass;
    }

    public String glyph() {
        return glyph;
    }

    /** The mark's name in the legend: "not executed", "LBC lost". */
    public String legendName() {
        return legendName;
    }

    public String description() {
        return description;
    }

    /** Lines F2 / Shift+F2 stop at: the ones a user still has to reach. */
    public boolean needsAttention() {
        return this == UNCOVERED || this == PARTIAL || this == LBC;
    }

    /** Lines that ran: where an editor opened on a file scrolls first. */
    public boolean ran() {
        return this == COVERED || this == PARTIAL || this == CBC || this == GBC;
    }
}
