package dev.kcovexplorer.app.model.algebra;

/**
 * Parses set expressions such as {@code (A | B) - base & C}. Grammar, by precedence climbing:
 * <pre>
 *   union        = difference { "|" difference }
 *   difference   = intersection { ("-" | "^") intersection }
 *   intersection = primary { "&amp;" primary }
 *   primary      = name | "(" union ")"
 *   name         = [A-Za-z_][A-Za-z0-9_.@]*  |  'quoted'  |  "quoted"      (guided@300s: a series' snapshot)
 * </pre>
 * Errors carry the 1-based column where the input stopped making sense.
 */
public final class ExpressionParser {
    private final String text;
    private int pos;

    private ExpressionParser(String text) {
        this.text = text;
    }

    public static SetExpression parse(String text) {
        ExpressionParser parser = new ExpressionParser(text);
        parser.skipBlanks();
        if (parser.atEnd()) {
            throw new ExpressionException("empty expression: expected a run name", 1);
        }
        SetExpression expression = parser.union();
        parser.skipBlanks();
        if (!parser.atEnd()) {
            char c = text.charAt(parser.pos);
            throw new ExpressionException(c == ')' ? "unmatched ')'"
                    : "unexpected '" + c + "' (expected an operator | & - ^)", parser.column());
        }
        return expression;
    }

    private SetExpression union() {
        SetExpression left = difference();
        while (peekOperator(1)) {
            int column = column();
            pos++;
            left = new SetExpression.Operation(Operator.UNION, left, difference(), column);
        }
        return left;
    }

    private SetExpression difference() {
        SetExpression left = intersection();
        while (peekOperator(2)) {
            int column = column();
            Operator op = Operator.of(text.charAt(pos++));
            left = new SetExpression.Operation(op, left, intersection(), column);
        }
        return left;
    }

    private SetExpression intersection() {
        SetExpression left = primary();
        while (peekOperator(3)) {
            int column = column();
            pos++;
            left = new SetExpression.Operation(Operator.INTERSECTION, left, primary(), column);
        }
        return left;
    }

    private SetExpression primary() {
        skipBlanks();
        if (atEnd()) {
            throw new ExpressionException("expected a run name or '(' but the expression ended", column());
        }
        char c = text.charAt(pos);
        int column = column();
        if (c == '(') {
            pos++;
            SetExpression inner = union();
            skipBlanks();
            if (atEnd() || text.charAt(pos) != ')') {
                throw new ExpressionException(atEnd()
                        ? "expected ')' to close the '(' at column " + column + " but the expression ended"
                        : "expected ')' to close the '(' at column " + column + ", found '" + text.charAt(pos) + "'",
                        column());
            }
            pos++;
            return inner;
        }
        if (c == '\'' || c == '"') {
            int close = text.indexOf(c, pos + 1);
            if (close < 0) {
                throw new ExpressionException("unclosed quote", column);
            }
            String name = text.substring(pos + 1, close);
            if (name.isEmpty()) {
                throw new ExpressionException("empty run name", column);
            }
            pos = close + 1;
            return new SetExpression.Name(name, column);
        }
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && isNameChar(text.charAt(pos))) {
                pos++;
            }
            return new SetExpression.Name(text.substring(start, pos), column);
        }
        if (Operator.of(c) != null || c == ')') {
            throw new ExpressionException("expected a run name or '(', found '" + c + "'", column);
        }
        throw new ExpressionException("unexpected '" + c + "' (run names start with a letter or _, or are quoted)",
                column);
    }

    /** Whether the next token is an operator of the given precedence (without consuming it). */
    private boolean peekOperator(int precedence) {
        skipBlanks();
        if (atEnd()) {
            return false;
        }
        Operator op = Operator.of(text.charAt(pos));
        return op != null && op.precedence() == precedence;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '@';
    }

    private void skipBlanks() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private int column() {
        return pos + 1;
    }
}
