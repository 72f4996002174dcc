package dev.kcovexplorer.app.model.algebra;

/** A set expression that cannot be parsed or evaluated; the message names the 1-based column. */
public final class ExpressionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int column;

    public ExpressionException(String problem, int column) {
        super(problem + " at column " + column);
        this.column = column;
    }

    /** 1-based column of the offending character (the expression's length + 1 when it ended too early). */
    public int column() {
        return column;
    }
}
