package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.model.source.FileStatus;
import dev.kcovexplorer.app.model.source.SourceProvider;
import dev.kcovexplorer.app.ui.task.Progress;
import java.util.Optional;

/** Sources from the Debian source package a session names, fetched once into the user cache. */
public final class PackageSources implements EditorSources {
    private final SourceProvider provider;

    public PackageSources(SourceProvider provider) {
        this.provider = provider;
    }

    @Override
    public void prepare(Progress progress) {
        provider.prepare(step -> {
            progress.message(step.message());
            progress.progress((long) (step.fraction() * 1000), step.fraction() < 0 ? -1 : 1000);
        }, progress::isCancelled);
    }

    @Override
    public Optional<String> text(String path) {
        return provider.text(path);
    }

    @Override
    public String banner(String path) {
        FileStatus status = provider.status(path);
        return switch (status) {
            case VERIFIED -> null;
            case DRIFTED -> provider.banner().orElse("This file comes from another version of "
                    + provider.manifest().sourcePackage() + ": its lines may not match the coverage.");
            case NOT_IN_PACKAGE -> path + " is not in " + provider.manifest().sourcePackage()
                    + " (generated during the build?).";
            case UNAVAILABLE -> provider.banner().orElse("Kernel sources are not available.");
        };
    }
}
