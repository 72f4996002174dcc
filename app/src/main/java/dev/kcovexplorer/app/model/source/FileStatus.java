package dev.kcovexplorer.app.model.source;

/** How a source file the session names relates to what the provider can show. */
public enum FileStatus {
    /** The text is exactly the file the kernel was built from (its SHA-256 matches the session). */
    VERIFIED,
    /** The text comes from another version of the package: lines may not match the coverage (show a banner). */
    DRIFTED,
    /** The package has no such file: generated during the build, or removed in the version we got. */
    NOT_IN_PACKAGE,
    /** No sources yet: not fetched, fetching failed (offline) or was cancelled. */
    UNAVAILABLE
}
