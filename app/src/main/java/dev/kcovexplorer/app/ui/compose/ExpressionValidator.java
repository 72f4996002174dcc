package dev.kcovexplorer.app.ui.compose;

/** Checks an expression over the session's run labels; the main view model supplies the model's parser. */
@FunctionalInterface
public interface ExpressionValidator {
    /** A one-line error pointing at the column ("unknown run 'Q' at column 7"), or null when it parses. */
    String check(String expression);

    ExpressionValidator ACCEPT_NOTHING = expression -> "open a session first";
}
