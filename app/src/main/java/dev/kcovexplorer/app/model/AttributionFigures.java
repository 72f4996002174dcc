package dev.kcovexplorer.app.model;

import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.attribution.PcAttribution;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run's unique PCs landed on the index's coverage points (the symbolizer's attribution, kept
 * without its per-PC arrays): matched directly, attributed to the single tail-call site of the function
 * they return from, attributed to several candidate sites, or unresolved (counted per reason).
 *
 * @param reading           the reading that fits: kcov return addresses or call sites
 * @param returnAddressRate share of PCs landing on a point or tail entry read as return addresses
 * @param callSiteRate      the same read as call sites
 * @param unresolvedReasons reason description → unresolved PCs
 */
public record AttributionFigures(PcKind reading, int uniquePcs, int matched, int attributedExact,
                                 int attributedCandidates, int unresolved, double returnAddressRate,
                                 double callSiteRate, Map<String, Integer> unresolvedReasons) {

    public AttributionFigures {
        unresolvedReasons = Collections.unmodifiableMap(new LinkedHashMap<>(unresolvedReasons));
    }

    /** Figures of nothing. */
    public static AttributionFigures none(PcKind reading) {
        return new AttributionFigures(reading, 0, 0, 0, 0, 0, 1, 1, Map.of());
    }

    /** True when neither reading lands 90% of the PCs: almost surely the wrong vmlinux. */
    public boolean foreign() {
        return uniquePcs > 0 && returnAddressRate < PcAttribution.FOREIGN_THRESHOLD
                && callSiteRate < PcAttribution.FOREIGN_THRESHOLD;
    }

    /** "these PCs do not belong to this vmlinux", or null when the run fits the index. */
    public String warning() {
        return foreign() ? PcAttribution.FOREIGN_WARNING : null;
    }

    /** Figures of several runs together, e.g. every run of a report; rates weighted by PCs. */
    public AttributionFigures plus(AttributionFigures other) {
        int total = uniquePcs + other.uniquePcs;
        Map<String, Integer> reasons = new LinkedHashMap<>(unresolvedReasons);
        other.unresolvedReasons.forEach((reason, n) -> reasons.merge(reason, n, Integer::sum));
        return new AttributionFigures(reading, total, matched + other.matched, attributedExact + other.attributedExact,
                attributedCandidates + other.attributedCandidates, unresolved + other.unresolved,
                weighted(returnAddressRate, other.returnAddressRate, other.uniquePcs, total),
                weighted(callSiteRate, other.callSiteRate, other.uniquePcs, total), reasons);
    }

    private double weighted(double mine, double theirs, int theirCount, int total) {
        return total == 0 ? 1.0 : (mine * uniquePcs + theirs * theirCount) / total;
    }
}
