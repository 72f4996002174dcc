package dev.kcovexplorer.app.model;

import com.sun.management.ThreadMXBean;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BinaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The set operations on hit points agree with java.util sets; candidates never become hits. */
class PointCoverageTest {
    private static final int POINTS = 200;

    @Property
    void hitPointsComposeLikeSets(@ForAll @Size(max = 60) List<@IntRange(max = POINTS - 1) Integer> a,
                                  @ForAll @Size(max = 60) List<@IntRange(max = POINTS - 1) Integer> b) {
        PointCoverage left = hits(a);
        PointCoverage right = hits(b);
        check(left.union(right), a, b, (x, y) -> {
            x.addAll(y);
            return x;
        });
        check(left.intersect(right), a, b, (x, y) -> {
            x.retainAll(y);
            return x;
        });
        check(left.minus(right), a, b, (x, y) -> {
            x.removeAll(y);
            return x;
        });
        check(left.symmetricDifference(right), a, b, (x, y) -> {
            Set<Integer> both = new HashSet<>(x);
            both.retainAll(y);
            x.addAll(y);
            x.removeAll(both);
            return x;
        });
    }

    @Property
    void candidatesAreNeverCountedAsHits(@ForAll @Size(max = 60) List<@IntRange(max = POINTS - 1) Integer> hit,
                                         @ForAll @Size(max = 60) List<@IntRange(max = POINTS - 1) Integer> cand) {
        PointCoverage.Builder builder = PointCoverage.builder(POINTS);
        cand.forEach(builder::candidate);
        hit.forEach(p -> builder.hit(p, 3));
        PointCoverage coverage = builder.build();
        PointCoverage empty = PointCoverage.empty(POINTS);
        for (PointCoverage composed : List.of(coverage, coverage.union(empty), coverage.minus(empty))) {
            for (int p = 0; p < POINTS; p++) {
                assertThat(composed.isHit(p)).isEqualTo(hit.contains(p));
                assertThat(composed.isCandidate(p)).isEqualTo(cand.contains(p) && !hit.contains(p));
            }
        }
        assertThat(coverage.intersect(empty).hitCount() + coverage.intersect(empty).candidateCount()).isZero();
        assertThat(empty.minus(coverage).hitCount()).isZero();
    }

    @Property
    void hitCountsAddUpAsEachOperationSays(@ForAll @Size(max = 60) List<@IntRange(max = POINTS - 1) Integer> a,
                                           @ForAll @Size(max = 60) List<@IntRange(max = POINTS - 1) Integer> b) {
        // A point listed k times at position i gets k hits of i + 1 occurrences each: counts differ per point.
        Map<Integer, Long> countsA = counts(a);
        Map<Integer, Long> countsB = counts(b);
        PointCoverage left = counted(a);
        PointCoverage right = counted(b);
        for (int p = 0; p < POINTS; p++) {
            long x = countsA.getOrDefault(p, 0L);
            long y = countsB.getOrDefault(p, 0L);
            assertThat(left.hits(p)).isEqualTo(x);
            assertThat(left.union(right).hits(p)).isEqualTo(x + y);
            assertThat(left.intersect(right).hits(p)).isEqualTo(x > 0 && y > 0 ? x + y : 0);
            assertThat(left.minus(right).hits(p)).isEqualTo(y == 0 ? x : 0);
            assertThat(left.symmetricDifference(right).hits(p)).isEqualTo(x > 0 != y > 0 ? x + y : 0);
        }
    }

    /**
     * A run read for a kernel-sized index marks a few thousand of its points: the builder holds what was marked, not a
     * count for every point (the old one allocated 8 bytes per point, 4.8 MB here, a humongous object of the G1
     * collector for every run of a session read). The counts are those marked, each point's added up.
     */
    @Example
    void aRunOfAKernelSizedIndexCostsWhatItMarks() {
        int points = 600_000;
        int[] marked = new int[6_000];
        for (int i = 0; i < marked.length; i++) {
            marked[i] = (int) ((i * 7_919L) % 3_001 * 199); // 3,001 points spread over the index, each marked twice
        }
        Map<Integer, Long> expected = new HashMap<>();
        for (int i = 0; i < marked.length; i++) {
            expected.merge(marked[i], i + 1L, Long::sum);
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        PointCoverage.Builder builder = PointCoverage.builder(points);
        for (int i = 0; i < marked.length; i++) {
            builder.hit(marked[i], i + 1);
        }
        PointCoverage coverage = builder.build();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).as("bytes the builder allocated").isLessThan(1 << 20);
        assertThat(coverage.hitCount()).isEqualTo(expected.size());
        for (int p = coverage.nextHit(0); p >= 0; p = coverage.nextHit(p + 1)) {
            assertThat(coverage.hits(p)).as("point %d", p).isEqualTo(expected.get(p));
        }
    }

    private static Map<Integer, Long> counts(List<Integer> points) {
        Map<Integer, Long> counts = new HashMap<>();
        for (int i = 0; i < points.size(); i++) {
            counts.merge(points.get(i), (long) i + 1, Long::sum);
        }
        return counts;
    }

    private static PointCoverage counted(List<Integer> points) {
        PointCoverage.Builder builder = PointCoverage.builder(POINTS);
        for (int i = 0; i < points.size(); i++) {
            builder.hit(points.get(i), i + 1);
        }
        return builder.build();
    }

    private static PointCoverage hits(List<Integer> points) {
        PointCoverage.Builder builder = PointCoverage.builder(POINTS);
        points.forEach(p -> builder.hit(p, 1));
        return builder.build();
    }

    private static void check(PointCoverage actual, List<Integer> a, List<Integer> b,
                              BinaryOperator<Set<Integer>> operation) {
        Set<Integer> expected = operation.apply(new HashSet<>(a), new HashSet<>(b));
        Set<Integer> got = new HashSet<>();
        for (int p = actual.nextHit(0); p >= 0; p = actual.nextHit(p + 1)) {
            got.add(p);
            assertThat(actual.hits(p)).isPositive();
        }
        assertThat(got).isEqualTo(expected);
    }
}
