package dev.kcovexplorer.app.ui.compose;

/**
 * What every view shows: the coverage of {@code expression} (blank = the union of the visible runs), or
 * with {@code diff} the comparison of {@code baseline} (A) and {@code current} (B), each an expression.
 */
public record Composition(String expression, boolean diff, String baseline, String current) {
    public static final Composition ALL_VISIBLE = new Composition("", false, "", "");

    /**
     * Whether both show the same coverage: outside diff mode A and B are only kept for when it is turned on (a
     * session's first runs fill them in), and in diff mode the expression waits likewise.
     */
    public boolean showsSameAs(Composition other) {
        return diff ? other.diff && baseline.equals(other.baseline) && current.equals(other.current)
                : !other.diff && expression.equals(other.expression);
    }
}
