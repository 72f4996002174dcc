package dev.kcovexplorer.symbolizer.points;

/** Receives every direct call or jump a {@link BranchDecoder} finds, with its resolved target. */
@FunctionalInterface
public interface BranchVisitor {
    /**
     * @param site   address of the branch instruction
     * @param target the address it branches to
     * @param call   true for a call ({@code E8} / {@code BL}), false for a jump ({@code E9}, {@code EB} / {@code B})
     */
    void branch(long site, long target, boolean call);
}
