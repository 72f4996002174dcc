package dev.kcovexplorer.symbolizer.attribution;

/** How a run's PCs relate to the coverage points. */
public enum PcKind {
    /** What kcov records: the return address after the callback call (point = PC − call length). */
    RETURN_ADDRESS("return-address"),
    /** What syzkaller's rawcover files hold: the call site itself. */
    CALL_SITE("call-site");

    private final String label;

    PcKind(String label) {
        this.label = label;
    }

    /** "return-address" or "call-site", as the CLI's JSON prints it. */
    public String label() {
        return label;
    }
}
