package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * How guided splits its connections between fresh devices and mutants ({@code UsbFuzzer.arms}): by each arm's new
 * PCs a second, over enough fresh devices to see their rare large finds, and not counting the first fresh
 * devices (one of each kind, before the corpus has a choice to offer). Driven as {@link UsbFuzzer#run} drives the
 * scheduler, with made-up coverage instead of a VM's; every connection takes a second.
 */
class ArmChoiceTest {
    /** The first eight connections are fresh devices of each kind, every one rich. */
    private static final int FIRST_ROUND = DeviceGenerator.Kind.values().length;

    /**
     * The fresh devices served among inputs {@code from} to {@code to} of a guided campaign whose {@code n}-th fresh
     * device after the first round (counted from 0) brings {@code freshPcs(n)} new PCs and whose {@code m}-th mutant
     * brings {@code mutantPcs(m)}; the first round brings 1,000 each.
     */
    private static int freshServed(long seed, int from, int to, IntUnaryOperator freshPcs,
                                   IntUnaryOperator mutantPcs) {
        UsbFuzzer fuzzer = new UsbFuzzer(new UsbFuzzer.Options(300, true, 15, null, "guided", seed, 1500, 300, null,
                null, 1 << 16, null), line -> { });
        int fresh = 0;
        int mutants = 0;
        int served = 0;
        for (int i = 0; i < to; i++) {
            UsbDevice input = fuzzer.schedule(0);
            int newPcs;
            if (fuzzer.lastWasFresh()) {
                newPcs = fresh < FIRST_ROUND ? 1000 : freshPcs.applyAsInt(fresh - FIRST_ROUND);
                fresh++;
                served += i >= from ? 1 : 0;
            } else {
                newPcs = mutantPcs.applyAsInt(mutants++);
            }
            fuzzer.learn(input, newPcs, newPcs, 0, 1.0);
        }
        return served;
    }

    /**
     * Fresh devices that bring 100 PCs once in 50 and 5 once in 10 (2.4 a second, 0.4 without the large finds)
     * against mutants that bring 3 every other try (1.5 a second): most connections go to fresh devices.
     */
    @Property(tries = 20)
    void rareLargeFreshFindsOutweighFrequentSmallMutantOnes(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        int fresh = freshServed(seed, 200, 800, n -> n % 50 == 2 ? 100 : n % 10 == 5 ? 5 : 0,
                m -> m % 2 == 0 ? 3 : 0);
        assertThat(fresh).as("fresh devices among 600 inputs").isGreaterThan(300);
    }

    /**
     * Mutants that bring nothing get little more than the floor (one in twenty, and a mean try's optimism each):
     * guided serves nearly as many fresh devices as blind.
     */
    @Property(tries = 20)
    void mutantsThatStopPayingGetLittleMoreThanTheFloor(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        int fresh = freshServed(seed, 200, 800, n -> n % 10 == 0 ? 20 : 0, m -> 0);
        assertThat(fresh).as("fresh devices among 600 inputs").isGreaterThan(510);
    }

    /**
     * The first round's thousands of PCs are not what a later fresh device brings: when later ones bring nothing and
     * mutants bring 3 every other try, the mutants take most of the next hundred connections.
     */
    @Property(tries = 20)
    void theFirstRoundDoesNotHoldTheFreshArmUp(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        int fresh = freshServed(seed, FIRST_ROUND, FIRST_ROUND + 100, n -> 0, m -> m % 2 == 0 ? 3 : 0);
        assertThat(fresh).as("fresh devices among the 100 inputs after the first round").isLessThan(50);
    }
}
