package dev.kcovexplorer.app.model;

import dev.kcovexplorer.kcov.PcKind;

/**
 * Where kcov's {@link PcKind} (what an input says its PCs are: return addresses, call sites, or unknown,
 * with the CLI's spelling) meets the symbolizer's {@link dev.kcovexplorer.symbolizer.attribution.PcKind}
 * (which of the two readings attribution applied). They are two enums because kcov and the symbolizer are
 * libraries that do not know each other; this is the one place that translates between them.
 */
public final class PcKinds {
    private PcKinds() {
    }

    /** The reading to force on attribution for what an input says, or null (UNKNOWN) to let the PCs decide. */
    public static dev.kcovexplorer.symbolizer.attribution.PcKind reading(PcKind declared) {
        return switch (declared) {
            case RETURN_ADDRESS -> dev.kcovexplorer.symbolizer.attribution.PcKind.RETURN_ADDRESS;
            case CALL_SITE -> dev.kcovexplorer.symbolizer.attribution.PcKind.CALL_SITE;
            case UNKNOWN -> null;
        };
    }

    /** What the PCs turned out to be under the reading attribution applied. */
    public static PcKind of(dev.kcovexplorer.symbolizer.attribution.PcKind reading) {
        return switch (reading) {
            case RETURN_ADDRESS -> PcKind.RETURN_ADDRESS;
            case CALL_SITE -> PcKind.CALL_SITE;
        };
    }
}
