package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.algebra.SetOperations;

import java.util.Arrays;
import java.util.Objects;

/**
 * Which coverage points of one index a run (or a composition of runs) reached, after attribution.
 * A point is <em>hit</em> when a recorded PC matched it or was attributed to it exactly (a tail call
 * with a single candidate); it is a <em>candidate</em> when it is only one of several tail-call sites a
 * recorded PC may stand for: evidence, not proof. Hit points carry their trace occurrences.
 *
 * <p>Immutable; bit sets in {@code long[]} words, and the counts of the hit points only, in point order:
 * a run reaches a few thousand of a kernel's 600k points, so a run costs ~0.2 MB instead of the 5 MB
 * of a count per point. A count is found through the hits before each word ({@link #hitsBeforeWord}).
 */
public final class PointCoverage {
    private final int pointCount;
    private final long[] hitBits;
    private final long[] candidateBits;
    /** Hit points in the words before word {@code w}: the index of word w's first count in {@link #counts}. */
    private final int[] hitsBeforeWord;
    /** The trace occurrences of each hit point, in point order. */
    private final long[] counts;

    /** {@code counts} holds one count per set bit of {@code hitBits}, in point order. */
    private PointCoverage(int pointCount, long[] hitBits, long[] candidateBits, long[] counts) {
        this.pointCount = pointCount;
        this.hitBits = hitBits;
        this.candidateBits = candidateBits;
        this.counts = counts;
        this.hitsBeforeWord = new int[hitBits.length];
        int before = 0;
        for (int w = 0; w < candidateBits.length; w++) {
            candidateBits[w] &= ~hitBits[w];
            hitsBeforeWord[w] = before;
            before += Long.bitCount(hitBits[w]);
        }
        if (before != counts.length) {
            throw new IllegalArgumentException(before + " hit points but " + counts.length + " counts");
        }
    }

    public static PointCoverage empty(int pointCount) {
        int words = words(pointCount);
        return new PointCoverage(pointCount, new long[words], new long[words], new long[0]);
    }

    /** A builder for resolvers: mark points, then {@link Builder#build()}. */
    public static Builder builder(int pointCount) {
        return new Builder(pointCount);
    }

    /** The set operations of the expression language, on points. */
    public static final SetOperations<PointCoverage> OPERATIONS = SetOperations.of(PointCoverage::union,
            PointCoverage::intersect, PointCoverage::minus, PointCoverage::symmetricDifference);

    public int pointCount() {
        return pointCount;
    }

    public boolean isHit(int point) {
        return (hitBits[point >>> 6] & (1L << point)) != 0;
    }

    public boolean isCandidate(int point) {
        return (candidateBits[point >>> 6] & (1L << point)) != 0;
    }

    /** Hit, or a candidate: the code around the point probably ran. */
    public boolean hasEvidence(int point) {
        return ((hitBits[point >>> 6] | candidateBits[point >>> 6]) & (1L << point)) != 0;
    }

    /** Trace occurrences of a hit point (at least 1); 0 for others. */
    public long hits(int point) {
        int w = point >>> 6;
        long bit = 1L << point;
        if ((hitBits[w] & bit) == 0) {
            return 0;
        }
        return counts[countIndex(point)];
    }

    /** Where a hit point's count is in {@link #counts}: after the counts of the hit points before it. */
    private int countIndex(int point) {
        int w = point >>> 6;
        return hitsBeforeWord[w] + Long.bitCount(hitBits[w] & ((1L << point) - 1));
    }

    public int hitCount() {
        return cardinality(hitBits);
    }

    public int candidateCount() {
        return cardinality(candidateBits);
    }

    /** Next hit point at or after {@code from}, or -1: iterate with {@code p = nextHit(p + 1)}. */
    public int nextHit(int from) {
        return nextSetBit(hitBits, from);
    }

    /** Next point with evidence (hit or candidate) at or after {@code from}, or -1. */
    public int nextEvidence(int from) {
        if (from >= pointCount) {
            return -1;
        }
        int w = from >>> 6;
        long word = (hitBits[w] | candidateBits[w]) & (-1L << from);
        while (true) {
            if (word != 0) {
                return w * 64 + Long.numberOfTrailingZeros(word);
            }
            if (++w == hitBits.length) {
                return -1;
            }
            word = hitBits[w] | candidateBits[w];
        }
    }

    /** Hit in either; hit counts add up. A candidate stays a candidate unless the other side hit it. */
    public PointCoverage union(PointCoverage other) {
        checkSameIndex(other);
        long[] hit = new long[hitBits.length];
        long[] cand = new long[hitBits.length];
        for (int w = 0; w < hit.length; w++) {
            hit[w] = hitBits[w] | other.hitBits[w];
            cand[w] = candidateBits[w] | other.candidateBits[w];
        }
        return new PointCoverage(pointCount, hit, cand, sumHits(hit, other));
    }

    /** Hit in both; evidence in both (at least one side only a candidate) stays a candidate. */
    public PointCoverage intersect(PointCoverage other) {
        checkSameIndex(other);
        long[] hit = new long[hitBits.length];
        long[] cand = new long[hitBits.length];
        for (int w = 0; w < hit.length; w++) {
            hit[w] = hitBits[w] & other.hitBits[w];
            cand[w] = (hitBits[w] | candidateBits[w]) & (other.hitBits[w] | other.candidateBits[w]);
        }
        return new PointCoverage(pointCount, hit, cand, sumHits(hit, other));
    }

    /**
     * Hit here and not hit in {@code other}. A point the other side only has as a candidate may or may
     * not have run there, so it drops to a candidate rather than staying a certain hit.
     */
    public PointCoverage minus(PointCoverage other) {
        checkSameIndex(other);
        long[] hit = new long[hitBits.length];
        long[] cand = new long[hitBits.length];
        for (int w = 0; w < hit.length; w++) {
            hit[w] = hitBits[w] & ~other.hitBits[w] & ~other.candidateBits[w];
            cand[w] = (hitBits[w] | candidateBits[w]) & ~other.hitBits[w];
        }
        return new PointCoverage(pointCount, hit, cand, ownHits(hit));
    }

    /** Hit on exactly one side; a point with only candidate evidence anywhere stays a candidate. */
    public PointCoverage symmetricDifference(PointCoverage other) {
        checkSameIndex(other);
        long[] hit = new long[hitBits.length];
        long[] cand = new long[hitBits.length];
        for (int w = 0; w < hit.length; w++) {
            long anyCandidate = candidateBits[w] | other.candidateBits[w];
            hit[w] = (hitBits[w] ^ other.hitBits[w]) & ~anyCandidate;
            cand[w] = ((hitBits[w] ^ other.hitBits[w]) | anyCandidate) & ~(hitBits[w] & other.hitBits[w]);
        }
        return new PointCoverage(pointCount, hit, cand, sumHits(hit, other));
    }

    /** The counts of the result's hit points, in point order: the sum of both sides'. */
    private long[] sumHits(long[] resultHit, PointCoverage other) {
        long[] out = new long[cardinality(resultHit)];
        int i = 0;
        for (int p = nextSetBit(resultHit, 0); p >= 0; p = nextSetBit(resultHit, p + 1)) {
            out[i++] = hits(p) + other.hits(p);
        }
        return out;
    }

    private long[] ownHits(long[] resultHit) {
        long[] out = new long[cardinality(resultHit)];
        int i = 0;
        for (int p = nextSetBit(resultHit, 0); p >= 0; p = nextSetBit(resultHit, p + 1)) {
            out[i++] = hits(p);
        }
        return out;
    }

    private void checkSameIndex(PointCoverage other) {
        if (other.pointCount != pointCount) {
            throw new IllegalArgumentException("coverage of different kernel indexes cannot be composed ("
                    + pointCount + " vs " + other.pointCount + " points)");
        }
    }

    private int nextSetBit(long[] bits, int from) {
        if (from >= pointCount) {
            return -1;
        }
        int w = from >>> 6;
        long word = bits[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return w * 64 + Long.numberOfTrailingZeros(word);
            }
            if (++w == bits.length) {
                return -1;
            }
            word = bits[w];
        }
    }

    private static int cardinality(long[] bits) {
        int n = 0;
        for (long word : bits) {
            n += Long.bitCount(word);
        }
        return n;
    }

    private static int words(int pointCount) {
        return (pointCount + 63) >>> 6;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PointCoverage other && other.pointCount == pointCount
                && Arrays.equals(other.hitBits, hitBits) && Arrays.equals(other.candidateBits, candidateBits)
                && Arrays.equals(other.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hitBits) * 31 + Arrays.hashCode(candidateBits);
    }

    /** Collects hits and candidates; not thread-safe, used once. */
    public static final class Builder {
        private final int pointCount;
        private final long[] hitBits;
        private final long[] candidateBits;
        /*
         * The hits as marked, a point and its occurrences each, not a count per point: a run marks a few thousand
         * points, and 8 bytes for each of a kernel's points (3 MB on the demo, 4.8 MB on a full kernel) made every
         * run read a humongous object of the G1 collector, which started its concurrent cycles during the window's
         * start.
         */
        private int[] hitPoints = new int[256];
        private long[] hitOccurrences = new long[256];
        private int marked;

        private Builder(int pointCount) {
            this.pointCount = pointCount;
            this.hitBits = new long[words(pointCount)];
            this.candidateBits = new long[words(pointCount)];
        }

        /** Marks a point hit, adding {@code occurrences} (at least 1 is recorded) to its count. */
        public Builder hit(int point, long occurrences) {
            Objects.checkIndex(point, pointCount);
            hitBits[point >>> 6] |= 1L << point;
            if (marked == hitPoints.length) {
                hitPoints = Arrays.copyOf(hitPoints, marked * 2);
                hitOccurrences = Arrays.copyOf(hitOccurrences, marked * 2);
            }
            hitPoints[marked] = point;
            hitOccurrences[marked++] = Math.max(1, occurrences);
            return this;
        }

        public Builder candidate(int point) {
            candidateBits[point >>> 6] |= 1L << point;
            return this;
        }

        public PointCoverage build() {
            PointCoverage coverage = new PointCoverage(pointCount, hitBits, candidateBits,
                    new long[cardinality(hitBits)]);
            for (int i = 0; i < marked; i++) {
                coverage.counts[coverage.countIndex(hitPoints[i])] += hitOccurrences[i];
            }
            return coverage;
        }
    }
}
