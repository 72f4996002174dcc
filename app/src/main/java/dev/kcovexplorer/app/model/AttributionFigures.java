package dev.kcovexplorer.app.model;

import dev.kcovexplorer.kcov.PcKind;

/**
 * How a run's unique PCs landed on the index's coverage points: matched directly, attributed to the
 * single tail-call site of the function they return from, attributed to several candidate sites, or not
 * at all. {@code matchRate} is the share of PCs resolved by the chosen reading; {@code otherReadingRate}
 * the share the other reading would have resolved, which tells a wrong vmlinux from a wrong reading.
 */
public record AttributionFigures(PcKind reading, int uniquePcs, int matched, int attributedExact,
                                 int attributedCandidates, int unresolved, double otherReadingRate) {

    /** Below this share of resolved PCs under both readings, the PCs do not belong to the vmlinux. */
    public static final double FOREIGN_THRESHOLD = 0.9;

    public int resolved() {
        return matched + attributedExact + attributedCandidates;
    }

    public double matchRate() {
        return uniquePcs == 0 ? 1.0 : (double) resolved() / uniquePcs;
    }

    /** True when neither reading resolves 90% of the PCs: almost surely the wrong vmlinux. */
    public boolean foreign() {
        return uniquePcs > 0 && matchRate() < FOREIGN_THRESHOLD && otherReadingRate < FOREIGN_THRESHOLD;
    }

    /** The warning the status bar and CLI show, or null when the run fits the index. */
    public String warning() {
        if (!foreign()) {
            return null;
        }
        return String.format("these PCs do not belong to this vmlinux (%.1f%% resolved as %s, %.1f%% the other way)",
                100 * matchRate(), reading.id(), 100 * otherReadingRate);
    }

    /** Figures of two disjoint PC sets together (e.g. every run of a report). */
    public AttributionFigures plus(AttributionFigures other) {
        int total = uniquePcs + other.uniquePcs;
        double otherRate = total == 0 ? 1.0
                : (otherReadingRate * uniquePcs + other.otherReadingRate * other.uniquePcs) / total;
        return new AttributionFigures(reading, total, matched + other.matched,
                attributedExact + other.attributedExact, attributedCandidates + other.attributedCandidates,
                unresolved + other.unresolved, otherRate);
    }
}
