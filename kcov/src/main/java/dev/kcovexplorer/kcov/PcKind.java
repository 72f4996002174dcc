package dev.kcovexplorer.kcov;

/**
 * What a recorded PC points at. kcov records the return address of the
 * {@code __sanitizer_cov_trace_pc} call (call site + 5 on x86-64, + 4 on arm64); syzkaller's
 * {@code rawcover} already holds call sites; a plain text list is unknown until the symbolizer
 * checks which reading lands on coverage points.
 */
public enum PcKind {
    RETURN_ADDRESS("return-address"),
    CALL_SITE("call-site"),
    UNKNOWN("unknown");

    private final String id;

    PcKind(String id) {
        this.id = id;
    }

    /** "return-address", "call-site" or "unknown": the spelling of text-list headers and the CLI. */
    public String id() {
        return id;
    }

    public static PcKind parse(String text) {
        for (PcKind kind : values()) {
            if (kind.id.equalsIgnoreCase(text.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown PC kind '" + text
                + "', expected return-address, call-site or unknown");
    }
}
