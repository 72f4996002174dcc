package dev.kcovexplorer.app.model.source;

/** How a source file the session names relates to what the sources can show. */
public enum FileStatus {
    /** The text is exactly the file the kernel was built from (its SHA-256 matches the session). */
    VERIFIED,
    /** The text differs from the file the kernel was built from: lines may not match the coverage (show a banner). */
    DRIFTED,
    /** The session records no hash for the file, so nothing says whether it is the one the kernel was built from. */
    UNCHECKED,
    /** The archive has no such file (a whole pass over it said so): generated during the build, or removed. */
    NOT_IN_PACKAGE,
    /** Not unpacked yet: the background pass over the archive has not reached it. */
    PENDING,
    /** No sources: not fetched, fetching failed (offline) or was cancelled. */
    UNAVAILABLE
}
