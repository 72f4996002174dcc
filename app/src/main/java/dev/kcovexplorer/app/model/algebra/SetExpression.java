package dev.kcovexplorer.app.model.algebra;

import java.util.function.Function;
import java.util.regex.Pattern;

/** A parsed set expression: run names combined by {@link Operator}s. */
public sealed interface SetExpression {

    /**
     * Names that need no quotes: letters, digits, {@code _}, {@code .} and {@code @} (a series' snapshot,
     * {@code guided@300s}), not starting with a digit, dot or {@code @}.
     */
    Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.@]*");

    /** Evaluates with {@code resolve} giving the set of each name (it may throw {@link ExpressionException}). */
    <T> T evaluate(Function<Name, T> resolve, SetOperations<T> ops);

    /** The expression with the fewest parentheses that keep its meaning. */
    String format();

    /** A run name at a 1-based column. */
    record Name(String name, int column) implements SetExpression {
        @Override
        public <T> T evaluate(Function<Name, T> resolve, SetOperations<T> ops) {
            return resolve.apply(this);
        }

        @Override
        public String format() {
            if (PLAIN_NAME.matcher(name).matches()) {
                return name;
            }
            return name.indexOf('\'') < 0 ? "'" + name + "'" : "\"" + name + "\"";
        }
    }

    /** {@code left op right}; column is the operator's. */
    record Operation(Operator op, SetExpression left, SetExpression right, int column) implements SetExpression {
        @Override
        public <T> T evaluate(Function<Name, T> resolve, SetOperations<T> ops) {
            return ops.apply(op, left.evaluate(resolve, ops), right.evaluate(resolve, ops));
        }

        @Override
        public String format() {
            return operand(left, false) + " " + op.symbol() + " " + operand(right, true);
        }

        private String operand(SetExpression child, boolean isRight) {
            if (child instanceof Operation inner) {
                int p = inner.op.precedence();
                // Left-associative: an equal-precedence operation on the right needs parentheses.
                if (p < op.precedence() || (isRight && p == op.precedence())) {
                    return "(" + child.format() + ")";
                }
            }
            return child.format();
        }
    }
}
