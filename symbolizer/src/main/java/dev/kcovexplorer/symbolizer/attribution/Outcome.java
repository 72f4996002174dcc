package dev.kcovexplorer.symbolizer.attribution;

/** What became of one PC. */
public enum Outcome {
    /** Its call site is a coverage point. */
    MATCHED,
    /** A return address after a call of a function with exactly one tail-call site: that site. */
    ATTRIBUTED_EXACT,
    /** Same, but the function has several tail-call sites: any of them may have run. */
    ATTRIBUTED_CANDIDATES,
    /** None of the above; {@link UnresolvedReason} says why. */
    UNRESOLVED
}
