package dev.kcovexplorer.symbolizer.attribution;

/** Which reading attribution applies to a run's PCs (the CLI spells them through kcov's own PcKind). */
public enum PcKind {
    /** What kcov records: the return address after the callback call (point = PC − call length). */
    RETURN_ADDRESS,
    /** What syzkaller's rawcover files hold: the call site itself. */
    CALL_SITE
}
