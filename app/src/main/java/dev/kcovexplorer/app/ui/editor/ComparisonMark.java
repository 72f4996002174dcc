package dev.kcovexplorer.app.ui.editor;

/**
 * The gutter mark of a line with comparison sites (◆ reached, ◈ reached with a constant never matched,
 * ◇ not reached; in diff mode gained or lost in B), its CSS class and the tooltip that tells the sites'
 * operands.
 */
public record ComparisonMark(Kind kind, String tip) {
    /** What the line's comparison sites did in the runs shown. */
    public enum Kind {
        REACHED("\u25C6", "reached"),
        MISSED_CONSTANT("\u25C8", "missed-constant"),
        NOT_REACHED("\u25C7", "not-reached"),
        GAINED("\u25C6", "gained"),
        LOST("\u25C7", "lost");

        private final String glyph;
        private final String styleClass;

        Kind(String glyph, String styleClass) {
            this.glyph = glyph;
            this.styleClass = styleClass;
        }

        public String glyph() {
            return glyph;
        }

        /** "cmp-reached": the glyph's colour per theme. */
        public String styleClass() {
            return "cmp-" + styleClass;
        }
    }
}
