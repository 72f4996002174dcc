package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.model.PointCoverage;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.algebra.SetExpression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run reached that no other run shown did: syzkaller's "unique coverage per manager", as figures
 * for the Runs cards and as the expression that shows it in every view.
 */
public final class UniqueCoverage {
    private UniqueCoverage() {
    }

    /** Per run label, its points hit by no other of {@code runs}; empty for fewer than two (PC) runs. */
    static Map<String, Integer> points(List<SessionRun> runs) {
        List<SessionRun> pcRuns = runs.stream().filter(r -> r.comparisons() == null).toList();
        if (pcRuns.size() < 2) {
            return Map.of();
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (SessionRun run : pcRuns) {
            PointCoverage others = null;
            for (SessionRun other : pcRuns) {
                if (other != run) {
                    others = others == null ? other.points() : others.union(other.points());
                }
            }
            out.put(run.label(), run.points().minus(others).hitCount());
        }
        return Map.copyOf(out);
    }

    /** {@code 'run' - ('a' | 'b')}: the run's coverage less every other's; the run alone when it is the only one. */
    public static String expression(String label, List<String> others) {
        String own = name(label);
        List<String> rest = new ArrayList<>();
        for (String other : others) {
            if (!other.equals(label)) {
                rest.add(name(other));
            }
        }
        if (rest.isEmpty()) {
            return own;
        }
        return own + " - " + (rest.size() == 1 ? rest.get(0) : "(" + String.join(" | ", rest) + ")");
    }

    private static String name(String label) {
        return new SetExpression.Name(label, 1).format();
    }
}
