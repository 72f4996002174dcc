package dev.kcovexplorer.app.model;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashSet;
import java.util.List;
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
