package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The bandit guided picks its arms and kinds with: shares, the floor, optimism, and rewards in PCs per second. */
class YieldBanditTest {
    private static final List<String> OPTIONS = List.of("a", "b", "c", "d");

    /** Each try of {@code option}: {@code pcs} new PCs in {@code seconds}. */
    private record Tries(String option, int pcs, double seconds) {
    }

    /**
     * A bandit with a window of 10, novelty 3 and {@code floor}, after ten rounds of a try of {@code first} then one
     * of {@code second}.
     */
    private static YieldBandit<String> tenRounds(double floor, Tries first, Tries second) {
        YieldBandit<String> bandit = new YieldBandit<>(10, floor);
        for (int i = 0; i < 10; i++) {
            bandit.record(first.option(), first.pcs(), 3, first.seconds());
            bandit.record(second.option(), second.pcs(), 3, second.seconds());
        }
        return bandit;
    }

    @Property(tries = 500)
    void sharesSumToOneAndNoneIsBelowTheFloor(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 5000) Integer> pcs,
            @ForAll @DoubleRange(min = 0, max = 0.25) double floor, @ForAll long seed) {
        YieldBandit<String> bandit = new YieldBandit<>(10, floor);
        SplittableRandom random = new SplittableRandom(seed);
        for (int p : pcs) {
            bandit.record(OPTIONS.get(random.nextInt(OPTIONS.size())), p, 3, random.nextDouble() * 5);
        }
        double[] shares = bandit.shares(OPTIONS);
        double sum = 0;
        for (double share : shares) {
            assertThat(share).isGreaterThanOrEqualTo(floor - 1e-12);
            sum += share;
        }
        assertThat(sum).isCloseTo(1, within(1e-9));
        assertThat(OPTIONS).contains(bandit.pick(OPTIONS, random));
    }

    @Example
    void beforeAnyTryThePicksAreEven() {
        double[] shares = new YieldBandit<String>(10, 0.05).shares(OPTIONS);
        for (double share : shares) {
            assertThat(share).isCloseTo(0.25, within(1e-9));
        }
    }

    /** Equal finds, unequal PCs: the fresh hub that brings 80 PCs against the report mutant that brings 3. */
    @Example
    void morePcsPerSecondWinsAtTheSameFindRate() {
        YieldBandit<String> bandit = new YieldBandit<>(10, 0.05);
        for (int i = 0; i < 10; i++) {
            bandit.record("hub", i % 3 == 0 ? 80 : 0, 3, 2.0);
            bandit.record("report", i % 3 == 0 ? 3 : 0, 3, 1.0);
        }
        double[] shares = bandit.shares(List.of("hub", "report"));
        assertThat(shares[0]).isGreaterThan(3 * shares[1]);
    }

    @Example
    void theSamePcsInHalfTheTimeWin() {
        YieldBandit<String> bandit = tenRounds(0.05, new Tries("quick", 10, 1.0), new Tries("slow", 10, 2.0));
        double[] shares = bandit.shares(List.of("quick", "slow"));
        assertThat(shares[0]).isGreaterThan(shares[1]);
    }

    /** An option never tried is worth what all have brought lately: more than one whose tries brought nothing. */
    @Example
    void anUntriedOptionIsPickedBeforeOneGoneDry() {
        YieldBandit<String> bandit = tenRounds(0.0, new Tries("rich", 50, 1.0), new Tries("dry", 0, 1.0));
        assertThat(bandit.rate("new")).isGreaterThan(bandit.rate("dry"));
        assertThat(bandit.rate("rich")).isGreaterThan(bandit.rate("new"));
    }

    /** Fewer new PCs than the novelty threshold (an interrupt's stray PC) count as none; thousands as the cap. */
    @Example
    void rewardsBelowTheNoveltyCountAsNoneAndHugeOnesAsTheCap() {
        YieldBandit<String> bandit = new YieldBandit<>(10, 0.0);
        bandit.record("stray", 2, 3, 1.0);
        bandit.record("nothing", 0, 3, 1.0);
        bandit.record("first", 3000, 3, 1.0);
        bandit.record("capped", YieldBandit.REWARD_CAP, 3, 1.0);
        assertThat(bandit.rate("stray")).isEqualTo(bandit.rate("nothing"));
        assertThat(bandit.rate("first")).isEqualTo(bandit.rate("capped"));
    }

    /** Only the last window of tries counts: a kind's first, rich draw stops holding it up. */
    @Example
    void anOldFindLeavesTheWindow() {
        YieldBandit<String> bandit = new YieldBandit<>(5, 0.0);
        bandit.record("a", 150, 3, 1.0);
        bandit.record("b", 0, 3, 1.0);
        for (int i = 0; i < 4; i++) {
            bandit.record("a", 0, 3, 1.0);
            bandit.record("b", 0, 3, 1.0);
        }
        assertThat(bandit.rate("a")).isGreaterThan(bandit.rate("b"));
        bandit.record("a", 0, 3, 1.0);
        bandit.record("b", 0, 3, 1.0);
        assertThat(bandit.rate("a")).isEqualTo(bandit.rate("b"));
    }

    /** An option with a window of its own remembers a find the others' window has dropped, and only that option. */
    @Example
    void anOptionWithALongerWindowKeepsAnOldFind() {
        YieldBandit<String> bandit = new YieldBandit<String>(5, 0.0).withWindow("long", 20);
        for (String option : List.of("long", "short")) {
            bandit.record(option, 150, 3, 1.0);
            for (int i = 0; i < 10; i++) {
                bandit.record(option, 0, 3, 1.0);
            }
        }
        for (int i = 0; i < 5; i++) {
            bandit.record("dry", 0, 3, 1.0);
        }
        assertThat(bandit.rate("long")).isGreaterThan(bandit.rate("short"));
        assertThat(bandit.rate("short")).isEqualTo(bandit.rate("dry"));
    }

    /** Picks follow the shares: the richer option is drawn about as often as its share says. */
    @Example
    void picksFollowTheShares() {
        YieldBandit<String> bandit = tenRounds(0.1, new Tries("rich", 40, 1.0), new Tries("poor", 4, 1.0));
        List<String> options = List.of("rich", "poor");
        double expected = bandit.shares(options)[0];
        SplittableRandom random = new SplittableRandom(1);
        int rich = 0;
        for (int i = 0; i < 20000; i++) {
            rich += bandit.pick(options, random).equals("rich") ? 1 : 0;
        }
        assertThat(rich / 20000.0).isCloseTo(expected, within(0.02));
    }
}
