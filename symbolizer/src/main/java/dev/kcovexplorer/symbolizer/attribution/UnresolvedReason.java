package dev.kcovexplorer.symbolizer.attribution;

/** Why a PC could not be tied to a coverage point. */
public enum UnresolvedReason {
    INDIRECT_CALL("follows an indirect call, so the tail-calling function is unknown"),
    CALLEE_TAIL_JUMPS_INDIRECTLY("follows a direct call of a function that tail-jumps through a pointer"),
    CALLEE_WITHOUT_TAIL_CALL("follows a direct call of a function that never tail-calls the callback"),
    NOT_AFTER_CALL("no call instruction ends at this address"),
    OUTSIDE_CODE("outside the image's executable sections"),
    NOT_IN_INDEX("neither a point nor a known tail-call return address (give the vmlinux to learn more)"),
    CALLEE_IN_ANOTHER_IMAGE("follows a module's call of a function of another image (the kernel or a module) that no"
            + " index at hand shows tail-calling the callback");

    private final String description;

    UnresolvedReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
