package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;

/** The one place the CLI gets its index cache and builder from. */
final class KernelIndexes {
    private KernelIndexes() {
    }

    static KernelIndexBuilder builder() {
        return new KernelIndexBuilder();
    }

    static KernelIndexCache cache() {
        return new KernelIndexCache(CacheDirectory.get(), builder());
    }
}
