package dev.kcovexplorer.kcov.usb;

import java.util.SplittableRandom;

/** Devices for the mutator's properties: a device some generations of mutants on, and guided's choice untaught. */
final class Mutants {
    /** Guided's operator choice before any feedback: each operator the device offers alike. */
    static final DeviceMutator.Choice ANY_OPERATOR = (offered, random) -> offered.get(random.nextInt(offered.size()));

    private Mutants() {
    }

    /**
     * {@code device} after {@code generations} rounds of {@link DeviceMutator#mutate(UsbDevice, SplittableRandom)},
     * each drawing from {@code random}: {@code mutated(DeviceGenerator.generate(random), random.nextInt(4), random)}
     * draws the device, then the count, then the mutations, in that order.
     */
    static UsbDevice mutated(UsbDevice device, int generations, SplittableRandom random) {
        UsbDevice result = device;
        for (int g = generations; g > 0; g--) {
            result = DeviceMutator.mutate(result, random);
        }
        return result;
    }
}
