package dev.kcovexplorer.app.model;

import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.attribution.Outcome;
import dev.kcovexplorer.symbolizer.attribution.PcAttribution;
import dev.kcovexplorer.symbolizer.attribution.PcAttributor;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.attribution.UnresolvedReason;
import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a run's unique PCs into the points the model colours, through the symbolizer's attribution:
 * matched and exactly attributed PCs make hit points (carrying the PCs' trace occurrences), candidate
 * attributions make candidate points.
 */
public final class PointResolver {
    private final KernelIndex index;
    private final ReturnAddressInspector inspector;

    /** @param inspector explains unresolved PCs from the vmlinux's code, or null when only the index exists */
    public PointResolver(KernelIndex index, ReturnAddressInspector inspector) {
        this.index = index;
        this.inspector = inspector;
    }

    /** What explains unresolved PCs from the vmlinux's code, or null. */
    public ReturnAddressInspector inspector() {
        return inspector;
    }

    /**
     * The points and figures of a run; hitCounts (parallel to the PCs) may be null: each PC counts once.
     * A known reading (a kcov area holds return addresses, syzkaller's rawcover call sites) is kept;
     * UNKNOWN lets the attribution pick the reading that lands more PCs on points.
     */
    public Result resolve(long[] uniquePcs, int[] hitCounts, PcKind known) {
        return of(PcAttributor.attribute(uniquePcs, index, inspector, PcKinds.reading(known)), index.pointCount(),
                hitCounts);
    }

    /** The points and figures of an attribution already made (over any point set: PC points or comparison sites). */
    public static Result of(PcAttribution attribution, int pointCount, int[] hitCounts) {
        int n = attribution.uniquePcs();
        PointCoverage.Builder builder = PointCoverage.builder(pointCount);
        for (int i = 0; i < n; i++) {
            Outcome outcome = attribution.outcome(i);
            if (outcome == Outcome.UNRESOLVED) {
                continue;
            }
            int[] points = attribution.points(i);
            if (outcome == Outcome.ATTRIBUTED_CANDIDATES) {
                for (int point : points) {
                    builder.candidate(point);
                }
            } else {
                builder.hit(points[0], hitCounts == null ? 1 : hitCounts[i]);
            }
        }
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (Map.Entry<UnresolvedReason, Integer> e : attribution.unresolvedByReason().entrySet()) {
            reasons.put(e.getKey().description(), e.getValue());
        }
        AttributionFigures figures = new AttributionFigures(PcKinds.of(attribution.pcKind()), attribution.uniquePcs(), attribution.matched(),
                attribution.attributedExact(), attribution.attributedCandidates(), attribution.unresolved(),
                attribution.returnAddressRate(), attribution.callSiteRate(), reasons);
        return new Result(builder.build(), figures);
    }

    /** Resolved points and the figures that say how they were found. */
    public record Result(PointCoverage points, AttributionFigures figures) {
    }
}
