package dev.kcovexplorer.app.model;

/** The state of a source line, as syzkaller's coverage report has them. */
public enum LineState {
    /** Every point of the line was hit. */
    COVERED("covered"),
    /** Some points were hit, or the only evidence is a candidate tail-call attribution. */
    PARTIAL("partial"),
    /** No point was hit, but a function the line belongs to ran. */
    UNCOVERED("uncovered"),
    /** No point was hit and no function the line belongs to ran. */
    NOT_EXECUTED("notExecuted"),
    /** The line has no coverage point (comments, declarations, code the compiler did not instrument). */
    NOT_INSTRUMENTED("notInstrumented");

    private static final LineState[] VALUES = values();

    private final String jsonName;

    LineState(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The key used by the JSON report: "covered", "partial", "uncovered", "notExecuted", "notInstrumented". */
    public String jsonName() {
        return jsonName;
    }

    static LineState ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
