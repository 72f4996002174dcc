package dev.kcovexplorer.app.model;

import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.points.ComparisonType;

import java.util.ArrayList;
import java.util.List;

/** The {@link ComparisonSite} rows of a CMP run: what the CLI prints and the Comparisons window lists. */
public final class ComparisonSites {
    private ComparisonSites() {
    }

    /** Every reached site, by address. */
    public static List<ComparisonSite> reached(ComparisonCoverage run, PathMapper paths) {
        List<ComparisonSite> out = new ArrayList<>(run.reachedCount());
        for (int s = 0; s < run.siteCount(); s++) {
            if (run.isReached(s)) {
                out.add(of(run, paths, s));
            }
        }
        return out;
    }

    /** One site of the run. */
    public static ComparisonSite of(ComparisonCoverage run, PathMapper paths, int site) {
        KernelIndex sites = run.sites();
        int frame = sites.chainStart(site);
        boolean hasFrame = frame < sites.chainEnd(site) && sites.frameLine(frame) > 0
                && !sites.frameFile(frame).equals(Symbolizer.UNKNOWN);
        String function = frame < sites.chainEnd(site) ? sites.frameFunction(frame) : null;
        String file = hasFrame ? paths.toRelative(sites.frameFile(frame)) : null;
        int line = hasFrame ? sites.frameLine(frame) : 0;
        boolean reached = run.isReached(site);
        return new ComparisonSite(site, run.siteAddress(site), function, file, line, run.kind(site), run.size(site),
                ComparisonType.isTailCall(sites.pointKind(site)), run.isCandidate(site), run.records(site),
                run.summary().hasValues(), run.distinct(site), run.distinctExact(site),
                reached ? run.pairs(site) : List.of(), reached ? run.morePairs(site) : 0,
                reached ? run.constants(site) : List.of());
    }
}
