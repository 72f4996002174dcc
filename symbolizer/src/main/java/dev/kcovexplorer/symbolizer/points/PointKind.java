package dev.kcovexplorer.symbolizer.points;

/** What a coverage point is: a call of the PC callback, a tail call of it, or a comparison hook call. */
public enum PointKind {
    /** {@code call __sanitizer_cov_trace_pc}: the recorded PC is the return address after it. */
    CALL,
    /** {@code jmp __sanitizer_cov_trace_pc} (GCC before 14): the recorded PC is the caller's return address. */
    TAIL,
    /** A call of a {@code __sanitizer_cov_trace_cmp*}, {@code _const_cmp*} or {@code _switch} hook. */
    CMP
}
