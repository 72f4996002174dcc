package dev.kcovexplorer.app.model.source;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a session says about its kernel's sources: the package they came from and the SHA-256 (lower-case hex)
 * of every source file the build used, keyed by path relative to the source tree ({@code drivers/usb/core/hub.c}).
 */
public record SourceManifest(SourcePackage sourcePackage, Map<String, String> sha256ByPath) {
    public SourceManifest {
        Objects.requireNonNull(sourcePackage, "sourcePackage");
        TreeMap<String, String> sorted = new TreeMap<>();
        sha256ByPath.forEach((path, hash) -> {
            if (path.startsWith("/") || path.contains("..") || path.contains("\n")) {
                throw new IllegalArgumentException("source path must be relative to the tree: " + path);
            }
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("not a SHA-256 for " + path + ": " + hash);
            }
            sorted.put(path, hash);
        });
        sha256ByPath = Collections.unmodifiableMap(sorted);
    }
}
