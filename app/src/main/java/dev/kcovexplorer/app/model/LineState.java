package dev.kcovexplorer.app.model;

/** The state of a source line, as syzkaller's coverage report has them, and two it lacks. */
public enum LineState {
    /** Every point of the line was hit. */
    COVERED("covered", "covered"),
    /** Some points were hit, or the only evidence is a candidate tail-call attribution. */
    PARTIAL("partial", "partial"),
    /** No point was hit, but a function the line belongs to ran. */
    UNCOVERED("uncovered", "uncovered"),
    /** No point was hit and no function the line belongs to ran. */
    NOT_EXECUTED("notExecuted", "not executed"),
    /** The line has no coverage point (comments, declarations, code the compiler did not instrument). */
    NOT_INSTRUMENTED("notInstrumented", "not instrumented"),
    /**
     * A run the expression names hit the line, but the expression removed it ({@code A - B} where both
     * ran it, {@code A & B} where only one did): it ran, so painting it as code that never ran would lie.
     */
    EXCLUDED("excluded", "excluded by the expression"),
    /**
     * No run hit the line, and it lies in a function that opens a remote coverage section but outside that
     * section (before {@code kcov_remote_start*()}, after {@code kcov_remote_stop*()}): kcov does not collect
     * there for the remote handle, so the runs cannot say whether it ran. See {@link RemoteSections}.
     */
    OUTSIDE_REMOTE("outsideRemote", "outside the remote section (not collected)");

    private static final LineState[] VALUES = values();

    private final String jsonName;
    private final String label;

    LineState(String jsonName, String label) {
        this.jsonName = jsonName;
        this.label = label;
    }

    /** The key used by the JSON report: "covered", "partial", "uncovered", "notExecuted", "excluded", "outsideRemote", …. */
    public String jsonName() {
        return jsonName;
    }

    /** The state in words, for legends and hovers: "not executed". */
    public String label() {
        return label;
    }

    static LineState ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
