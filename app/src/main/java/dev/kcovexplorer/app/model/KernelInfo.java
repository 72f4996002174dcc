package dev.kcovexplorer.app.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a session knows about the kernel build besides its index, all optional: the release
 * ("6.1.0-kcov"), the config text, the Debian source package it was built from, and a content hash per
 * source file the build used (relative path → "sha256:hex"), so the window can fetch and verify sources.
 */
public record KernelInfo(String release, String config, String sourcePackage, String sourceVersion,
                         Map<String, String> sourceHashes) {

    public static final KernelInfo UNKNOWN = new KernelInfo(null, null, null, null, Map.of());

    public KernelInfo {
        sourceHashes = sourceHashes == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(sourceHashes));
    }

    public KernelInfo withSourceHashes(Map<String, String> hashes) {
        return new KernelInfo(release, config, sourcePackage, sourceVersion, hashes);
    }
}
