package dev.kcovexplorer.app.model;

import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.index.KernelIndex;

/**
 * Maps a run's sorted unique PCs onto the coverage points of a {@link KernelIndex}: direct matches,
 * and return addresses that follow a call to a function which tail-called the coverage callback
 * (the index's tail table; one candidate = exact). One linear merge over the sorted arrays, so a
 * 1M-PC run resolves in milliseconds.
 */
public final class PointResolver {
    private final KernelIndex index;
    private final long returnOffset;

    public PointResolver(KernelIndex index) {
        this.index = index;
        this.returnOffset = returnAddressOffset(index.arch());
    }

    /** Size of the call instruction: what kcov's return address is past the call site. */
    public static long returnAddressOffset(String arch) {
        return switch (arch) {
            case "x86_64", "i386" -> 5;
            case "aarch64", "arm" -> 4;
            default -> throw new IllegalArgumentException("unsupported architecture '" + arch + "'");
        };
    }

    /**
     * The points and figures of a run; hitCounts may be null (every PC counts once). PCs are sorted in
     * {@code long} order, as the index's points are (kernel addresses all share the sign bit).
     */
    public Result resolve(long[] sortedUniquePcs, int[] hitCounts, PcKind reading) {
        PointCoverage.Builder builder = PointCoverage.builder(index.pointCount());
        int[] counts = walk(sortedUniquePcs, hitCounts, reading, builder);
        PcKind other = reading == PcKind.RETURN_ADDRESS ? PcKind.CALL_SITE : PcKind.RETURN_ADDRESS;
        int[] otherCounts = walk(sortedUniquePcs, null, other, null);
        int n = sortedUniquePcs.length;
        double otherRate = n == 0 ? 1.0 : (double) (otherCounts[0] + otherCounts[1] + otherCounts[2]) / n;
        AttributionFigures figures = new AttributionFigures(reading, n, counts[0], counts[1], counts[2],
                n - counts[0] - counts[1] - counts[2], otherRate);
        return new Result(builder.build(), figures);
    }

    /** Decides the reading by which one resolves more PCs (ties: kcov's return addresses), then resolves. */
    public Result resolveDetectingReading(long[] sortedUniquePcs, int[] hitCounts) {
        int[] asReturn = walk(sortedUniquePcs, null, PcKind.RETURN_ADDRESS, null);
        int[] asCallSite = walk(sortedUniquePcs, null, PcKind.CALL_SITE, null);
        int returnResolved = asReturn[0] + asReturn[1] + asReturn[2];
        int callResolved = asCallSite[0] + asCallSite[1] + asCallSite[2];
        PcKind reading = callResolved > returnResolved ? PcKind.CALL_SITE : PcKind.RETURN_ADDRESS;
        return resolve(sortedUniquePcs, hitCounts, reading);
    }

    /** Counts {matched, exact, candidates}; marks points in the builder when one is given. */
    private int[] walk(long[] pcs, int[] hitCounts, PcKind reading, PointCoverage.Builder builder) {
        long[] points = index.rawPoints();
        long[] tails = index.rawTailReturnAddresses();
        int[] candidateStart = index.rawTailCandidateStart();
        int[] candidates = index.rawTailCandidates();
        long siteShift = reading == PcKind.RETURN_ADDRESS ? -returnOffset : 0;
        long tailShift = reading == PcKind.RETURN_ADDRESS ? 0 : returnOffset;
        int matched = 0;
        int exact = 0;
        int candidate = 0;
        int p = 0;
        int t = 0;
        for (int i = 0; i < pcs.length; i++) {
            long site = pcs[i] + siteShift;
            while (p < points.length && points[p] < site) {
                p++;
            }
            long occurrences = hitCounts == null ? 1 : hitCounts[i];
            if (p < points.length && points[p] == site) {
                matched++;
                if (builder != null) {
                    builder.hit(p, occurrences);
                }
                continue;
            }
            long returnAddress = pcs[i] + tailShift;
            while (t < tails.length && tails[t] < returnAddress) {
                t++;
            }
            if (t < tails.length && tails[t] == returnAddress) {
                int from = candidateStart[t];
                int to = candidateStart[t + 1];
                if (to - from == 1) {
                    exact++;
                    if (builder != null) {
                        builder.hit(candidates[from], occurrences);
                    }
                } else if (to > from) {
                    candidate++;
                    if (builder != null) {
                        for (int c = from; c < to; c++) {
                            builder.candidate(candidates[c]);
                        }
                    }
                }
            }
        }
        return new int[] {matched, exact, candidate};
    }

    /** Resolved points and the figures that say how they were found. */
    public record Result(PointCoverage points, AttributionFigures figures) {
    }
}
