package dev.kcovexplorer.app.ui.compose;

/**
 * What every view shows: the coverage of {@code expression} (blank = the union of the visible runs), or
 * with {@code diff} the comparison of {@code baseline} (A) and {@code current} (B), each an expression.
 */
public record Composition(String expression, boolean diff, String baseline, String current) {
    public static final Composition ALL_VISIBLE = new Composition("", false, "", "");
}
