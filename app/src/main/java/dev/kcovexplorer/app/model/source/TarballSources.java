package dev.kcovexplorer.app.model.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sources read from a kernel source tarball ({@code .tar.xz}, {@code .tar.gz}/{@code .tgz} or {@code .tar}):
 * the files the session needs are unpacked into the user cache ({@link UnpackedSources}), an editor's file on
 * demand and the rest in the background, and each file is checked against the session's SHA-256 when read.
 * The tarball's top directory ({@code linux-source-6.1/}) is the source root.
 */
public final class TarballSources implements KernelSources {
    private final UnpackedSources unpacked;
    private final Map<String, String> sha256ByPath;
    private final String versionDrift;
    private final Map<String, FileStatus> statuses = new ConcurrentHashMap<>();
    private static final String NOT_READ = "not read yet";

    private volatile String unpacking = NOT_READ;
    private volatile String failure;

    /**
     * A tarball the user chose: unpacked under {@code cacheRoot/tarballs}, one tree per tarball name, size and
     * modification time. {@code sha256ByPath} names every file the session needs, with its hash or {@code ""}.
     */
    public TarballSources(Path tarball, Path cacheRoot, Map<String, String> sha256ByPath) throws IOException {
        this(tarball, cacheRoot.resolve("tarballs").resolve(tarball.getFileName() + "-" + Files.size(tarball) + "-"
                + Files.getLastModifiedTime(tarball).toMillis()), sha256ByPath, null);
    }

    /** {@code versionDrift}: what to say when a file differs because the package is another version, or null. */
    TarballSources(Path tarball, Path tree, Map<String, String> sha256ByPath, String versionDrift) {
        this.unpacked = new UnpackedSources(tarball, tree, sha256ByPath);
        this.sha256ByPath = Map.copyOf(sha256ByPath);
        this.versionDrift = versionDrift;
    }

    /** True for the file names this class reads. */
    public static boolean isTarball(Path file) {
        return SourceArchive.isTarball(file);
    }

    @Override
    public void prepare(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        unpacked.cleanStale();
    }

    @Override
    public void unpackRest(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        try {
            unpacked.unpackRest(step -> {
                unpacking = step.fraction() < 0 ? step.message() : Math.round(step.fraction() * 100) + "% read";
                progress.accept(step);
            }, cancelled);
            statuses.clear();
            failure = null;
        } catch (IOException e) {
            failure = "Cannot read sources from " + e.getMessage();
            throw e;
        }
    }

    /** True once every file the session needs was unpacked and checked. */
    public boolean isComplete() {
        return unpacked.isComplete();
    }

    @Override
    public Optional<String> text(String path, BooleanSupplier cancelled) throws IOException {
        Optional<byte[]> bytes = unpacked.read(path, cancelled);
        if (bytes.isEmpty()) {
            // Only a pass that did not find the file in the archive says it is not there; a file a complete tree lost
            // since is unpacked again by the next pass.
            statuses.put(path, !sha256ByPath.containsKey(path) || unpacked.isNotInArchive(path)
                    ? FileStatus.NOT_IN_PACKAGE : FileStatus.PENDING);
            return Optional.empty();
        }
        String expected = sha256ByPath.getOrDefault(path, "");
        statuses.put(path, expected.isEmpty() ? FileStatus.UNCHECKED
                : expected.equals(Sha256.of(bytes.get())) ? FileStatus.VERIFIED : FileStatus.DRIFTED);
        // Kernel sources are UTF-8 with a few Latin-1 leftovers: decoding replaces those instead of failing.
        return Optional.of(new String(bytes.get(), StandardCharsets.UTF_8));
    }

    /** What {@link #text} last found for the file. */
    public FileStatus status(String path) {
        return statuses.getOrDefault(path, FileStatus.PENDING);
    }

    @Override
    public String banner(String path) {
        String name = unpacked.archive().getFileName().toString();
        return switch (status(path)) {
            case VERIFIED, UNCHECKED -> null;
            case DRIFTED -> versionDrift != null ? versionDrift
                    : "This file differs from the one the kernel was built from (SHA-256 mismatch): "
                    + "its lines may not match the coverage.";
            case NOT_IN_PACKAGE -> path + " is not in " + name + " (generated during the build?).";
            case PENDING -> failure != null ? failure
                    : unpacked.isComplete() ? path + " is in " + name + " but missing from its unpacked copy (the cache "
                    + "was damaged): the background unpack puts it back, at the latest at the next start; "
                    + "File › Re-fetch Sources unpacks everything anew."
                    : path + " is not unpacked yet from " + name + " (" + unpacking + "); it shows once it is.";
            case UNAVAILABLE -> failure;
        };
    }

    @Override
    public void forgetCopies() throws IOException {
        unpacked.delete();
        statuses.clear();
        // What the last pass read or failed on says nothing of the next one.
        unpacking = NOT_READ;
        failure = null;
    }
}
