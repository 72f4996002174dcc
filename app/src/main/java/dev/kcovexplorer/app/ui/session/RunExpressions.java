package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.algebra.ExpressionException;
import java.util.List;

/**
 * The composition bar's text in the model's terms: blank means the union of the visible runs; anything
 * else is a set expression over run names (the model's grammar: labels, quoted labels, letters A, B, …).
 */
public final class RunExpressions {
    private RunExpressions() {
    }

    /** Null when {@code text} is blank or a valid expression over the session's runs, else the problem and its column. */
    public static String check(Session session, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            session.validate(text);
            return null;
        } catch (ExpressionException problem) {
            return problem.getMessage();
        }
    }

    static Coverage coverage(Session session, List<SessionRun> visible, String text) {
        if (text == null || text.isBlank()) {
            return session.coverage(visible);
        }
        return session.coverage(text);
    }
}
