package dev.kcovexplorer.symbolizer.attribution;

import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a run's unique PCs map onto an image's coverage points, PC by PC and in figures. PC {@code i}
 * (in input order) has an {@link #outcome(int)} and, unless unresolved, the point indices it stands
 * for ({@link #points(int)}: one, or several candidates). Per-PC state is kept in primitive arrays:
 * runs have up to millions of unique PCs.
 */
public final class PcAttribution {
    /** Below this share of PCs landing on points in both readings, the PCs are from another image. */
    public static final double FOREIGN_THRESHOLD = 0.90;
    public static final String FOREIGN_WARNING = "these PCs do not belong to this vmlinux";
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final UnresolvedReason[] REASONS = UnresolvedReason.values();

    private final KernelIndex index;
    private final PcKind pcKind;
    private final long[] pcs;
    private final byte[] outcomes;
    /** Point index (matched, exact), tail-table entry (candidates) or reason ordinal (unresolved). */
    private final int[] targets;
    private final double returnAddressRate;
    private final double callSiteRate;
    private final int[] counts = new int[OUTCOMES.length];
    private final Map<UnresolvedReason, Integer> byReason = new EnumMap<>(UnresolvedReason.class);

    PcAttribution(KernelIndex index, PcKind pcKind, long[] pcs, byte[] outcomes, int[] targets,
                  double returnAddressRate, double callSiteRate) {
        this.index = index;
        this.pcKind = pcKind;
        this.pcs = pcs;
        this.outcomes = outcomes;
        this.targets = targets;
        this.returnAddressRate = returnAddressRate;
        this.callSiteRate = callSiteRate;
        for (int i = 0; i < outcomes.length; i++) {
            counts[outcomes[i]]++;
            if (outcomes[i] == Outcome.UNRESOLVED.ordinal()) {
                byReason.merge(REASONS[targets[i]], 1, Integer::sum);
            }
        }
    }

    /** Which reading of the PCs fits the image better. */
    public PcKind pcKind() {
        return pcKind;
    }

    public int uniquePcs() {
        return pcs.length;
    }

    public int matched() {
        return counts[Outcome.MATCHED.ordinal()];
    }

    public int attributedExact() {
        return counts[Outcome.ATTRIBUTED_EXACT.ordinal()];
    }

    public int attributedCandidates() {
        return counts[Outcome.ATTRIBUTED_CANDIDATES.ordinal()];
    }

    public int unresolved() {
        return counts[Outcome.UNRESOLVED.ordinal()];
    }

    /** Share of PCs whose call site, in the chosen reading, is a point. */
    public double matchRate() {
        return pcs.length == 0 ? 0 : (double) matched() / pcs.length;
    }

    /** Share of PCs that land on a point or a tail-call entry when read as return addresses. */
    public double returnAddressRate() {
        return returnAddressRate;
    }

    /** Share of PCs that land on a point or a tail-call entry when read as call sites. */
    public double callSiteRate() {
        return callSiteRate;
    }

    /** True when neither reading reaches {@link #FOREIGN_THRESHOLD}: wrong vmlinux. */
    public boolean foreign() {
        return pcs.length > 0 && returnAddressRate < FOREIGN_THRESHOLD && callSiteRate < FOREIGN_THRESHOLD;
    }

    /** {@link #FOREIGN_WARNING} when {@link #foreign()}, else null. */
    public String warning() {
        return foreign() ? FOREIGN_WARNING : null;
    }

    /** Unresolved PCs per reason (reasons with none are absent). */
    public Map<UnresolvedReason, Integer> unresolvedByReason() {
        return Collections.unmodifiableMap(byReason);
    }

    public long pc(int i) {
        return pcs[i];
    }

    public Outcome outcome(int i) {
        return OUTCOMES[outcomes[i]];
    }

    /** Point indices PC {@code i} stands for: one when matched or exact, several candidates, none when unresolved. */
    public int[] points(int i) {
        switch (outcome(i)) {
            case MATCHED:
                return new int[] {targets[i]};
            case ATTRIBUTED_EXACT:
            case ATTRIBUTED_CANDIDATES:
                return index.tailCandidates(targets[i]);
            default:
                return new int[0];
        }
    }

    /** Why PC {@code i} is unresolved, or null. */
    public UnresolvedReason reason(int i) {
        return outcomes[i] == Outcome.UNRESOLVED.ordinal() ? REASONS[targets[i]] : null;
    }

    /** Distinct points the run certainly hit (matched and exactly attributed PCs), sorted. */
    public int[] hitPoints() {
        int[] out = new int[pcs.length];
        int n = 0;
        for (int i = 0; i < pcs.length; i++) {
            if (outcomes[i] == Outcome.MATCHED.ordinal()) {
                out[n++] = targets[i];
            } else if (outcomes[i] == Outcome.ATTRIBUTED_EXACT.ordinal()) {
                out[n++] = index.tailCandidates(targets[i])[0];
            }
        }
        return Arrays.stream(out, 0, n).sorted().distinct().toArray();
    }
}
