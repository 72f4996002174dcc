package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * A guided and a blind campaign of one seed draw the same fresh devices in the same order, whatever guided's
 * feedback makes of its other inputs; the first eight are one of each kind, for both. Both schedulers are driven as
 * {@link UsbFuzzer#run} drives them, with made-up coverage instead of a VM's.
 */
class FreshDevicesTest {
    private static final int INPUTS = 150;

    private static UsbFuzzer fuzzer(boolean guided, long seed) {
        return new UsbFuzzer(new UsbFuzzer.Options(300, guided, 15, null, guided ? "guided" : "blind", seed, 1500, 300,
                null, null, 1 << 16, null), line -> { });
    }

    /** Serves {@code inputs} inputs, each bringing what {@code feedback} draws; answers the fresh ones in order. */
    private static List<UsbDevice> freshOf(UsbFuzzer fuzzer, int inputs, SplittableRandom feedback) {
        List<UsbDevice> fresh = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            UsbDevice input = fuzzer.schedule(0);
            assertThat(input).as("no comparison pass is due at 0 s").isNotNull();
            if (fuzzer.lastWasFresh()) {
                fresh.add(input);
            }
            int newPcs = feedback.nextInt(4) == 0 ? 3 + feedback.nextInt(50) : feedback.nextInt(3);
            fuzzer.learn(input, newPcs, newPcs, feedback.nextInt(40), 0.1 + feedback.nextDouble());
        }
        return fresh;
    }

    @Property(tries = 40)
    void theNthFreshDeviceIsTheSameForBothCampaigns(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        List<UsbDevice> guided = freshOf(fuzzer(true, seed), INPUTS, new SplittableRandom(seed + 1));
        List<UsbDevice> blind = freshOf(fuzzer(false, seed), INPUTS, new SplittableRandom(seed + 1));
        assertThat(blind).as("blind serves only fresh devices").hasSize(INPUTS);
        assertThat(guided.size()).as("guided served mutants too").isLessThan(INPUTS).isGreaterThan(8);
        assertThat(guided).containsExactlyElementsOf(blind.subList(0, guided.size()));
    }

    @Property(tries = 200)
    void theFirstEightFreshDevicesAreOneOfEachKind(@ForAll long seed) {
        FreshDevices fresh = new FreshDevices(seed);
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < DeviceGenerator.Kind.values().length; i++) {
            assertThat(fresh.everyKindDrawn()).isFalse();
            String origin = fresh.next().origin();
            kinds.add(List.of(DeviceGenerator.Kind.values()).stream().map(DeviceGenerator.Kind::label)
                    .filter(origin::startsWith).max((a, b) -> a.length() - b.length()).orElseThrow());
        }
        assertThat(fresh.everyKindDrawn()).isTrue();
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(List.of(DeviceGenerator.Kind.values()).stream()
                .map(DeviceGenerator.Kind::label).collect(Collectors.toList()));
    }
}
