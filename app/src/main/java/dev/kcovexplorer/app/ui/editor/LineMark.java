package dev.kcovexplorer.app.ui.editor;

/**
 * How one source line is painted: the five coverage states, or in diff mode genhtml's four baseline
 * categories. Every mark has a CSS class (whole-line background, defined per theme) and a gutter glyph,
 * so the state is readable without colour.
 */
public enum LineMark {
    COVERED("covered", "\u2714", "covered: every point of the line ran"),
    PARTIAL("partial", "\u25D0", "partial: some points of the line ran"),
    UNCOVERED("uncovered", "\u2718", "uncovered: no point ran, but its function did"),
    NOT_EXECUTED("not-executed", "\u25CB", "not executed: its function never ran"),
    NOT_INSTRUMENTED("not-instrumented", "", "no coverage points"),
    CBC("cbc", "=", "CBC: covered in A and in B"),
    GBC("gbc", "+", "GBC: gained in B"),
    LBC("lbc", "\u2212", "LBC: lost in B"),
    UBC("ubc", "\u00B7", "UBC: uncovered in A and in B");

    private final String styleClass;
    private final String glyph;
    private final String description;

    LineMark(String styleClass, String glyph, String description) {
        this.styleClass = styleClass;
        this.glyph = glyph;
        this.description = description;
    }

    /** The CSS class on the line's paragraph and gutter ("line-covered"). */
    public String styleClass() {
        return "line-" + styleClass;
    }

    public String glyph() {
        return glyph;
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
