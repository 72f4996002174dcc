package dev.kcovexplorer.app.model.algebra;

/**
 * The set operators. Precedence, high to low: {@code &}, then {@code -} and {@code ^}, then {@code |};
 * all left-associative, so {@code A | B & C - D} is {@code A | ((B & C) - D)} and
 * {@code A - B - C} is {@code (A - B) - C}.
 */
public enum Operator {
    UNION('|', 1, "union"),
    DIFFERENCE('-', 2, "difference"),
    SYMMETRIC_DIFFERENCE('^', 2, "symmetric difference"),
    INTERSECTION('&', 3, "intersection");

    private final char symbol;
    private final int precedence;
    private final String description;

    Operator(char symbol, int precedence, String description) {
        this.symbol = symbol;
        this.precedence = precedence;
        this.description = description;
    }

    public char symbol() {
        return symbol;
    }

    /** Higher binds tighter. */
    public int precedence() {
        return precedence;
    }

    public String description() {
        return description;
    }

    static Operator of(char symbol) {
        for (Operator op : values()) {
            if (op.symbol == symbol) {
                return op;
            }
        }
        return null;
    }
}
