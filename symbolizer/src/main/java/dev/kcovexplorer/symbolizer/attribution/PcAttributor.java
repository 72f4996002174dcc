package dev.kcovexplorer.symbolizer.attribution;

import dev.kcovexplorer.symbolizer.index.KernelIndex;

/**
 * Ties a run's unique PCs to coverage points. It decides whether the PCs are return addresses (kcov)
 * or call sites (syzkaller rawcover) by which reading lands more of them on points, then attributes
 * the return addresses that tail calls of the callback leave in callers through the index's tail
 * table. Works from a {@link KernelIndex} alone; a {@link ReturnAddressInspector} on the vmlinux, when
 * there is one, explains what stays unresolved.
 */
public final class PcAttributor {
    private PcAttributor() {
    }

    /**
     * @param uniquePcs distinct PCs of a run (any order; kept)
     * @param inspector explains unresolved PCs from the image's code, or null when only the index exists
     */
    public static PcAttribution attribute(long[] uniquePcs, KernelIndex index, ReturnAddressInspector inspector) {
        return attribute(uniquePcs, index, inspector, null);
    }

    /**
     * Like {@link #attribute(long[], KernelIndex, ReturnAddressInspector)}, but with the reading fixed
     * when {@code forced} is not null (the user knows better, e.g. a list from syzkaller's rawcover).
     */
    public static PcAttribution attribute(long[] uniquePcs, KernelIndex index, ReturnAddressInspector inspector,
                                          PcKind forced) {
        int callLength = index.callLength();
        int asReturnOnPoints = 0;
        int asSiteOnPoints = 0;
        int asReturnKnown = 0;
        int asSiteKnown = 0;
        AscendingSearch returnOnPoints = new AscendingSearch(index.rawPoints());
        AscendingSearch returnOnTails = new AscendingSearch(index.rawTailReturnAddresses());
        AscendingSearch siteOnPoints = new AscendingSearch(index.rawPoints());
        AscendingSearch siteOnTails = new AscendingSearch(index.rawTailReturnAddresses());
        for (long pc : uniquePcs) {
            if (returnOnPoints.find(pc - callLength) >= 0) {
                asReturnOnPoints++;
                asReturnKnown++;
            } else if (returnOnTails.find(pc) >= 0) {
                asReturnKnown++;
            }
            if (siteOnPoints.find(pc) >= 0) {
                asSiteOnPoints++;
                asSiteKnown++;
            } else if (siteOnTails.find(pc + callLength) >= 0) {
                asSiteKnown++;
            }
        }
        PcKind kind = forced != null ? forced
                : asReturnOnPoints >= asSiteOnPoints ? PcKind.RETURN_ADDRESS : PcKind.CALL_SITE;
        long toReturnAddress = kind == PcKind.RETURN_ADDRESS ? 0 : callLength;

        int n = uniquePcs.length;
        byte[] outcomes = new byte[n];
        int[] targets = new int[n];
        AscendingSearch points = new AscendingSearch(index.rawPoints());
        AscendingSearch tails = new AscendingSearch(index.rawTailReturnAddresses());
        for (int i = 0; i < n; i++) {
            long returnAddress = uniquePcs[i] + toReturnAddress;
            int point = points.find(returnAddress - callLength);
            int entry;
            if (point >= 0) {
                outcomes[i] = (byte) Outcome.MATCHED.ordinal();
                targets[i] = point;
            } else if ((entry = tails.find(returnAddress)) >= 0) {
                boolean exact = index.tailCandidateCount(entry) == 1;
                outcomes[i] = (byte) (exact ? Outcome.ATTRIBUTED_EXACT : Outcome.ATTRIBUTED_CANDIDATES).ordinal();
                targets[i] = entry;
            } else {
                outcomes[i] = (byte) Outcome.UNRESOLVED.ordinal();
                UnresolvedReason reason = inspector == null ? UnresolvedReason.NOT_IN_INDEX
                        : inspector.explain(returnAddress);
                targets[i] = reason.ordinal();
            }
        }
        double size = Math.max(1, n);
        return new PcAttribution(index, kind, uniquePcs.clone(), outcomes, targets, asReturnKnown / size,
                asSiteKnown / size);
    }
}
