package dev.kcovexplorer.symbolizer.index;

import java.nio.file.Path;

/**
 * Where KCOV Explorer keeps what it can make again (kernel indexes, decompressed modules, fetched kernel
 * sources, the demo VM's agent archives and runs): one rule for every writer, so that the system property
 * {@value #PROPERTY} (the tests' own directory) moves all of it out of the user's cache at once.
 */
public final class CacheDirectory {
    /** Names the cache directory in place of {@code $XDG_CACHE_HOME/kcov-explorer}. */
    public static final String PROPERTY = "kcov-explorer.cache.dir";

    private CacheDirectory() {
    }

    /** {@value #PROPERTY} when set, else {@link #ofUser()}. */
    public static Path get() {
        String override = System.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        return ofUser();
    }

    /**
     * {@code $XDG_CACHE_HOME/kcov-explorer}, or {@code ~/.cache/kcov-explorer} when it is unset or relative (the
     * XDG rule): also where the scripts of sample-data leave the demo kernel and its captures, which are inputs
     * the property does not move.
     */
    public static Path ofUser() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("kcov-explorer");
    }
}
