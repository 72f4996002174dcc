package dev.kcovexplorer.app.model.source;

import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The kernel sources a session names, from the Debian package it was built from. Kernel sources are never
 * committed: the session says which package and version ({@link SourceManifest}), and this class gets exactly
 * that package's {@code NAME.tar.xz} — an installed {@code /usr/src/NAME.tar.xz} of that version, an earlier
 * download, or {@code apt-get download NAME=VERSION} — and reads the files the session lists from it through
 * {@link TarballSources}. When that version is gone from the archive it takes an installed or the current one
 * and the banner names the drift; offline it says why the editor is empty.
 */
public final class SourceProvider implements KernelSources {
    private final SourceManifest manifest;
    private final Path cacheRoot;
    private final Path installedTarballDir;
    private final UnaryOperator<String> installedVersion;
    private final PackageDownloader downloader;
    private volatile TarballSources sources;
    private volatile String version;
    private volatile String failure = "Kernel sources have not been fetched yet.";

    /** {@code installedVersion}: the installed version of a package name, "" when it is not installed. */
    SourceProvider(SourceManifest manifest, Path cacheRoot, Path installedTarballDir, UnaryOperator<String> installedVersion,
                   PackageDownloader downloader) {
        this.manifest = manifest;
        this.cacheRoot = cacheRoot;
        this.installedTarballDir = installedTarballDir;
        this.installedVersion = installedVersion;
        this.downloader = downloader;
    }

    /** A provider caching under the {@link CacheDirectory}. */
    public static SourceProvider forUserCache(SourceManifest manifest) {
        return new SourceProvider(manifest, CacheDirectory.get(), Path.of("/usr/src"), SourceProvider::dpkgVersion,
                new PackageDownloader());
    }

    /** Like {@link #forUserCache} but never downloading: only an installed or already fetched package is used. */
    public static SourceProvider withoutDownloads(SourceManifest manifest) {
        return new SourceProvider(manifest, CacheDirectory.get(), Path.of("/usr/src"), SourceProvider::dpkgVersion,
                PackageDownloader.NONE);
    }

    public SourceManifest manifest() {
        return manifest;
    }

    /**
     * Finds the package's tarball (downloading it when needed): after this, files can be read on demand. Failures
     * do not throw: every file is {@link FileStatus#UNAVAILABLE} and the banner says why.
     */
    @Override
    public void prepare(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        try {
            PackageDownloader.Deb tarball = locate(progress, cancelled);
            SourcePackage wanted = manifest.sourcePackage();
            String drift = tarball.version().equals(wanted.version()) ? null
                    : String.format("Sources are %s %s, but this kernel was built from %s: this file differs, "
                            + "and its lines may not match the coverage.", wanted.name(), tarball.version(), wanted.version());
            TarballSources found = new TarballSources(tarball.file(), treeDir(tarball.version()), manifest.sha256ByPath(), drift);
            found.prepare(progress, cancelled);
            version = tarball.version();
            sources = found;
            failure = null;
        } catch (PackageDownloader.DownloadFailed e) {
            failure = "No kernel sources: " + e.getMessage()
                    + ". The tree and tables work without them; the editor stays empty until they can be fetched.";
        } catch (IOException e) {
            failure = "No kernel sources: " + e.getMessage();
        }
        progress.accept(new SourceProgress(failure != null ? failure : "Kernel sources found", 1));
    }

    @Override
    public void unpackRest(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        TarballSources now = sources;
        if (now != null) {
            now.unpackRest(progress, cancelled);
        }
    }

    /** Where the package's tarball is, and its version: the session's when it can be had, else the nearest. */
    private PackageDownloader.Deb locate(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        SourcePackage wanted = manifest.sourcePackage();
        Path installed = installedTarballDir.resolve(wanted.name() + ".tar.xz");
        String installedVersion = Files.isRegularFile(installed) ? this.installedVersion.apply(wanted.name()) : "";
        if (wanted.version().equals(installedVersion)) {
            return new PackageDownloader.Deb(installed, installedVersion);
        }
        Path debs = cacheRoot.resolve("debs");
        PackageDownloader.cleanStale(debs);
        Optional<PackageDownloader.Deb> exact = fetched(wanted.version(), debs, progress, cancelled);
        if (exact.isPresent()) {
            return exact.get();
        }
        progress.accept(new SourceProgress("Downloading " + wanted + " with apt-get", -1));
        try {
            return tarballOf(downloader.download(wanted.name(), Optional.of(wanted.version()), debs, cancelled),
                    progress, cancelled);
        } catch (PackageDownloader.DownloadFailed gone) {
            // Debian drops superseded versions from its archive: take another one and report the drift.
            if (!installedVersion.isEmpty()) {
                return new PackageDownloader.Deb(installed, installedVersion);
            }
            Optional<PackageDownloader.Deb> newest = PackageDownloader.newest(wanted.name(), debs);
            if (newest.isPresent()) {
                return tarballOf(newest.get(), progress, cancelled);
            }
            try {
                return tarballOf(downloader.download(wanted.name(), Optional.empty(), debs, cancelled),
                        progress, cancelled);
            } catch (PackageDownloader.DownloadFailed any) {
                throw gone;
            }
        }
    }

    /** A tarball of {@code version} taken from a package fetched earlier. */
    private Optional<PackageDownloader.Deb> fetched(String version, Path debs, Consumer<SourceProgress> progress,
                                                   BooleanSupplier cancelled) throws IOException {
        Optional<PackageDownloader.Deb> deb = PackageDownloader.cached(manifest.sourcePackage().name(), version, debs);
        return deb.isPresent() ? Optional.of(tarballOf(deb.get(), progress, cancelled)) : Optional.empty();
    }

    /**
     * The package's {@code usr/src/NAME.tar.xz}, copied once out of the .deb next to it: as a file of its own it
     * can be read block by block, so one source file is read without decoding the whole tarball.
     */
    private PackageDownloader.Deb tarballOf(PackageDownloader.Deb deb, Consumer<SourceProgress> progress,
                                            BooleanSupplier cancelled) throws IOException {
        if (deb.file().getFileName().toString().endsWith(".tar.xz")) {
            return deb;
        }
        SourcePackage pkg = manifest.sourcePackage();
        Path tarball = deb.file().resolveSibling(PackageDownloader.tarballName(pkg.name(), deb.version()));
        if (!Files.isRegularFile(tarball)) {
            long size = Files.size(deb.file());
            String message = "Taking " + pkg.tarballPath() + " out of " + deb.file().getFileName();
            AtomicFiles.write(tarball, out -> {
                try (InputStream member = SourceArchive.debMember(deb.file(), pkg.tarballPath(),
                        read -> progress.accept(new SourceProgress(message, (double) read / size)))) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = member.read(buffer); n >= 0; n = member.read(buffer)) {
                        if (cancelled.getAsBoolean()) {
                            throw new java.util.concurrent.CancellationException(message + " was cancelled");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            });
        }
        Files.delete(deb.file()); // the tarball is all of it that is ever read
        return new PackageDownloader.Deb(tarball, deb.version());
    }

    @Override
    public Optional<String> text(String path, BooleanSupplier cancelled) throws IOException {
        TarballSources now = sources;
        return now == null ? Optional.empty() : now.text(path, cancelled);
    }

    public FileStatus status(String path) {
        TarballSources now = sources;
        return now == null ? FileStatus.UNAVAILABLE : now.status(path);
    }

    @Override
    public String banner(String path) {
        TarballSources now = sources;
        return now == null ? failure : now.banner(path);
    }

    /** Why there are no sources, when there are none. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The package version actually read, once found. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** True once every file the session needs was unpacked and checked. */
    public boolean isComplete() {
        TarballSources now = sources;
        return now != null && now.isComplete();
    }

    /** Drops the unpacked trees and the fetched packages of this package name (an installed tarball stays). */
    @Override
    public void forgetCopies() throws IOException {
        TarballSources now = sources;
        if (now != null) {
            now.forgetCopies();
        }
        sources = null;
        failure = "Kernel sources have not been fetched yet.";
        PackageDownloader.forget(manifest.sourcePackage().name(), cacheRoot.resolve("debs"));
    }

    private Path treeDir(String version) {
        return cacheRoot.resolve("sources").resolve(manifest.sourcePackage().name() + "_" + version.replace(':', '+'));
    }

    private static String dpkgVersion(String name) {
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
}
