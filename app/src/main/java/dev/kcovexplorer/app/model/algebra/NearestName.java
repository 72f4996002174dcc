package dev.kcovexplorer.app.model.algebra;

import java.util.Locale;

/**
 * The name a typo most likely meant, for the "did you mean" of an error: a run's label in an expression, a function
 * of a file in a start view.
 */
public final class NearestName {
    private NearestName() {
    }

    /**
     * The closest of {@code names} to {@code typed} by edit distance (case ignored), within a third of {@code typed};
     * null when none is that close. Names under three characters are letter names or guesses: no suggestion.
     */
    public static String of(String typed, Iterable<String> names) {
        if (typed.length() < 3) {
            return null;
        }
        String best = null;
        int bestDistance = Math.max(1, (typed.length() + 1) / 3) + 1;
        for (String name : names) {
            int distance = editDistance(typed.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
