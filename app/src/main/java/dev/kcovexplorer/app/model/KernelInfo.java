package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.source.SourceManifest;
import dev.kcovexplorer.app.model.source.SourcePackage;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a session knows about the kernel build besides its index, all optional: the release
 * ("6.1.0-kcov"), the config text, the Debian source package it was built from, and the SHA-256
 * (lower-case hex) of every source file the build used, keyed by path relative to the source root, so
 * the window can fetch the exact sources and verify them ({@link #sourceManifest()}).
 */
public record KernelInfo(String release, String config, String sourcePackage, String sourceVersion,
                         Map<String, String> sourceHashes) {

    public static final KernelInfo UNKNOWN = new KernelInfo(null, null, null, null, Map.of());

    public KernelInfo {
        sourceHashes = sourceHashes == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(sourceHashes));
    }

    /**
     * What {@link dev.kcovexplorer.app.model.source.SourceProvider} needs to fetch and check the sources,
     * when the Debian package is known. Files outside the source tree (compiler headers) are left out.
     */
    public Optional<SourceManifest> sourceManifest() {
        if (sourcePackage == null || sourceVersion == null) {
            return Optional.empty();
        }
        Map<String, String> inTree = new TreeMap<>();
        sourceHashes.forEach((path, hash) -> {
            if (!path.startsWith("/") && !path.contains("..")) {
                inTree.put(path, hash);
            }
        });
        return Optional.of(new SourceManifest(new SourcePackage(sourcePackage, sourceVersion), inTree));
    }
}
