package dev.kcovexplorer.kcov.usb;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * How many mutants of each corpus entry in a row found nothing new: an entry's weight among its kind falls with
 * it ({@link #weight}), and comes back whole with the next find. Entries ranked by what they brought once stay
 * ranked for the whole campaign: in seed 73's guided campaign 106 mutants brought 186 PCs, most of them drawn from
 * the few entries that had brought the most when they joined, long after those stopped paying.
 *
 * @param <K> the entries, told apart by identity
 */
final class DryStreaks<K> {
    /** Dry mutants in a row that halve an entry's weight. */
    static final int HALVING = 4;

    private final Map<K, Integer> streaks = new IdentityHashMap<>();

    /** A mutant of {@code entry} was tried: {@code found} whether it brought something new. */
    void record(K entry, boolean found) {
        streaks.put(entry, found ? 0 : streaks.getOrDefault(entry, 0) + 1);
    }

    /** The factor of {@code entry}'s weight: 1 before any dry mutant, 1 / (1 + dry / {@value #HALVING}) after. */
    double weight(K entry) {
        return 1.0 / (1.0 + streaks.getOrDefault(entry, 0) / (double) HALVING);
    }
}
