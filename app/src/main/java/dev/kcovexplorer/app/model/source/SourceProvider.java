package dev.kcovexplorer.app.model.source;

import dev.kcovexplorer.app.model.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The kernel sources a session names, fetched once into the user cache and checked file by file against the
 * session's hashes. Kernel sources are never committed: the session says which Debian package and version the
 * kernel was built from ({@link SourceManifest}), and this class gets exactly that package — from an installed
 * {@code /usr/src/NAME.tar.xz} of the same version, an earlier download, or {@code apt-get download NAME=VERSION}
 * — and unpacks only the files the session lists. When that version is gone from the archive it takes the
 * current one and reports the drift; offline it reports why the editor is empty.
 *
 * <p>{@link #prepare} blocks and belongs on the background executor; the other methods are cheap and safe from
 * any thread once it returned.
 */
public final class SourceProvider {
    private final SourceManifest manifest;
    private final Path cacheRoot;
    private final Path installedTarballDir;
    private final PackageDownloader downloader;
    private volatile Prepared prepared = Prepared.none("Kernel sources have not been fetched yet.");

    private record Prepared(Path tree, String version, Map<String, FileStatus> statuses, Optional<String> banner) {
        static Prepared none(String why) {
            return new Prepared(null, null, Map.of(), Optional.of(why));
        }
    }

    SourceProvider(SourceManifest manifest, Path cacheRoot, Path installedTarballDir, PackageDownloader downloader) {
        this.manifest = manifest;
        this.cacheRoot = cacheRoot;
        this.installedTarballDir = installedTarballDir;
        this.downloader = downloader;
    }

    /** A provider caching under {@code ${XDG_CACHE_HOME:-~/.cache}/kcov-explorer/sources}. */
    public static SourceProvider forUserCache(SourceManifest manifest) {
        return new SourceProvider(manifest, userCacheRoot(), Path.of("/usr/src"), new PackageDownloader());
    }

    /** The provider for a session's kernel, or empty when the session does not say which package its sources are. */
    public static Optional<SourceProvider> forSession(Session session) {
        return session.kernel().sourceManifest().map(SourceProvider::forUserCache);
    }

    static Path userCacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("kcov-explorer");
    }

    public SourceManifest manifest() {
        return manifest;
    }

    /**
     * Makes the sources available: reuses an unpacked tree, or obtains the package and unpacks the listed files
     * (tens of seconds for a kernel: the whole tarball must be decompressed). Failures do not throw: they leave
     * every file {@link FileStatus#UNAVAILABLE} and a {@link #banner()} that says why.
     *
     * @throws CancellationException when {@code cancelled} turned true; nothing half-done is kept
     */
    public void prepare(Consumer<SourceProgress> progress, BooleanSupplier cancelled) {
        SourcePackage wanted = manifest.sourcePackage();
        try {
            Optional<Prepared> ready = unpacked(wanted.version());
            if (ready.isEmpty()) {
                ready = Optional.of(obtainAndUnpack(progress, cancelled));
            }
            prepared = ready.get();
        } catch (PackageDownloader.DownloadFailed e) {
            prepared = Prepared.none("No kernel sources: " + e.getMessage()
                    + ". The tree and tables work without them; the editor stays empty until they can be fetched.");
        } catch (IOException | UncheckedIOException e) {
            prepared = Prepared.none("No kernel sources: " + e.getMessage());
        }
        progress.accept(new SourceProgress(banner().orElse("Kernel sources ready"), 1));
    }

    private Prepared obtainAndUnpack(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        SourcePackage wanted = manifest.sourcePackage();
        Path debs = cacheRoot.resolve("debs");
        Path tarball = installedTarballDir.resolve(wanted.name() + ".tar.xz");
        if (Files.isRegularFile(tarball) && wanted.version().equals(installedVersion(wanted.name()))) {
            return unpack(wanted.version(), (dir) ->
                    SourceExtractor.fromTarball(tarball, wanted, manifest.sha256ByPath().keySet(), dir, progress, cancelled));
        }
        Optional<PackageDownloader.Deb> deb = PackageDownloader.cached(wanted.name(), wanted.version(), debs);
        if (deb.isEmpty()) {
            progress.accept(new SourceProgress("Downloading " + wanted + " with apt-get", -1));
            try {
                deb = Optional.of(downloader.download(wanted.name(), Optional.of(wanted.version()), debs, cancelled));
            } catch (PackageDownloader.DownloadFailed exact) {
                // Debian drops superseded versions from its archive: take the current one and report the drift.
                deb = PackageDownloader.newest(wanted.name(), debs);
                if (deb.isEmpty()) {
                    try {
                        deb = Optional.of(downloader.download(wanted.name(), Optional.empty(), debs, cancelled));
                    } catch (PackageDownloader.DownloadFailed any) {
                        throw exact;
                    }
                }
            }
        }
        PackageDownloader.Deb got = deb.get();
        Optional<Prepared> ready = unpacked(got.version());
        if (ready.isPresent()) {
            return ready.get();
        }
        return unpack(got.version(), (dir) ->
                SourceExtractor.fromDeb(got.file(), wanted, manifest.sha256ByPath().keySet(), dir, progress, cancelled));
    }

    private interface Unpacker {
        void into(Path directory) throws IOException;
    }

    private Prepared unpack(String version, Unpacker unpacker) throws IOException {
        Path tree = treeDir(version);
        Path partial = Files.createTempDirectory(Files.createDirectories(tree.getParent()), tree.getFileName() + ".partial-");
        try {
            unpacker.into(partial);
            Files.writeString(partial.resolve(".complete"), version + "\n");
            deleteTree(tree);
            Files.move(partial, tree, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(partial);
        }
        return unpacked(version).orElseThrow(() -> new IOException("unpacked sources vanished from " + tree));
    }

    private Optional<Prepared> unpacked(String version) throws IOException {
        Path tree = treeDir(version);
        if (!Files.isRegularFile(tree.resolve(".complete"))) {
            return Optional.empty();
        }
        Map<String, FileStatus> statuses = new HashMap<>();
        int drifted = 0;
        int present = 0;
        for (Map.Entry<String, String> entry : manifest.sha256ByPath().entrySet()) {
            Path file = tree.resolve(entry.getKey());
            FileStatus status;
            if (!Files.isRegularFile(file)) {
                status = FileStatus.NOT_IN_PACKAGE;
            } else {
                present++;
                status = sha256(file).equals(entry.getValue()) ? FileStatus.VERIFIED : FileStatus.DRIFTED;
                if (status == FileStatus.DRIFTED) {
                    drifted++;
                }
            }
            statuses.put(entry.getKey(), status);
        }
        SourcePackage wanted = manifest.sourcePackage();
        Optional<String> banner = Optional.empty();
        if (!version.equals(wanted.version())) {
            banner = Optional.of(String.format("Sources are %s %s, but this kernel was built from %s: "
                            + "%d of %d files differ, and their lines may not match the coverage.",
                    wanted.name(), version, wanted.version(), drifted, present));
        } else if (drifted > 0) {
            banner = Optional.of(String.format("%d of %d source files differ from the ones this kernel was built from; "
                    + "their lines may not match the coverage.", drifted, present));
        }
        return Optional.of(new Prepared(tree, version, Map.copyOf(statuses), banner));
    }

    /** The file's text when the sources have it (verified or drifted: see {@link #status}), else empty. */
    public Optional<String> text(String relativePath) {
        Prepared now = prepared;
        FileStatus status = now.statuses().get(relativePath);
        if (status != FileStatus.VERIFIED && status != FileStatus.DRIFTED) {
            return Optional.empty();
        }
        try {
            // Kernel sources are UTF-8 with a few Latin-1 leftovers: decoding replaces those instead of failing.
            return Optional.of(new String(Files.readAllBytes(now.tree().resolve(relativePath)), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public FileStatus status(String relativePath) {
        Prepared now = prepared;
        if (now.tree() == null) {
            return FileStatus.UNAVAILABLE;
        }
        return now.statuses().getOrDefault(relativePath, FileStatus.NOT_IN_PACKAGE);
    }

    /** One line for the editor's banner: drift, or why there are no sources. Empty when all is exact. */
    public Optional<String> banner() {
        return prepared.banner();
    }

    /** The package version actually unpacked, when there is one. */
    public Optional<String> version() {
        return Optional.ofNullable(prepared.version());
    }

    public long count(FileStatus status) {
        Prepared now = prepared;
        if (now.tree() == null) {
            return status == FileStatus.UNAVAILABLE ? manifest.sha256ByPath().size() : 0;
        }
        return now.statuses().values().stream().filter(s -> s == status).count();
    }

    private Path treeDir(String version) {
        return cacheRoot.resolve("sources").resolve(manifest.sourcePackage().name() + "_" + version.replace(':', '+'));
    }

    private static String installedVersion(String name) {
        try {
            Process process = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", name)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
