package dev.kcovexplorer.kcov.usb;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A campaign's fresh devices, one stream per seed, drawn alike by a guided and a blind campaign: with one seed the
 * n-th fresh device either draws is the same, so what tells a pair's campaigns apart is only what guided does
 * with its feedback (the corpus and its mutants, the hints, served instead of some fresh draws). The first eight
 * are the eight kinds in an order the seed shuffles (blind left to the stream meets each kind only after 22
 * draws on average, its first hub after eight), then each kind is as likely; half the devices are mutated once,
 * with the campaign's mutator, as they come.
 */
final class FreshDevices {
    private static final DeviceGenerator.Kind[] KINDS = DeviceGenerator.Kind.values();

    private final SplittableRandom stream;
    /** The kinds the first round has not drawn yet, in the order they come. */
    private final List<DeviceGenerator.Kind> firstRound = new ArrayList<>();

    FreshDevices(long seed) {
        this.stream = new SplittableRandom(seed);
        List<DeviceGenerator.Kind> kinds = new ArrayList<>(List.of(KINDS));
        while (!kinds.isEmpty()) {
            firstRound.add(kinds.remove(stream.nextInt(kinds.size())));
        }
    }

    /** The next fresh device. */
    UsbDevice next() {
        DeviceGenerator.Kind kind = firstRound.isEmpty() ? KINDS[stream.nextInt(KINDS.length)] : firstRound.remove(0);
        UsbDevice device = DeviceGenerator.generate(stream, kind);
        return stream.nextBoolean() ? DeviceMutator.mutate(device, stream) : device;
    }

    /** Whether every kind has been drawn once. */
    boolean everyKindDrawn() {
        return firstRound.isEmpty();
    }
}
