package dev.kcovexplorer.app.model;

/** How a run's PCs relate to coverage points: kcov's return addresses, or call sites (syzkaller rawcover). */
public enum PcReading {
    RETURN_ADDRESS("return-address"),
    CALL_SITE("call-site");

    private final String label;

    PcReading(String label) {
        this.label = label;
    }

    /** The name used in JSON and the session file: "return-address" or "call-site". */
    public String label() {
        return label;
    }

    public static PcReading fromLabel(String label) {
        for (PcReading reading : values()) {
            if (reading.label.equals(label)) {
                return reading;
            }
        }
        throw new IllegalArgumentException("unknown PC kind '" + label + "' (expected return-address or call-site)");
    }
}
