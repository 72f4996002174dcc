package dev.kcovexplorer.app.model.source;

import dev.kcovexplorer.kcov.FileTrees;
import dev.kcovexplorer.symbolizer.index.AbandonedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches a package's .deb into a directory with {@code apt-get download}, which needs no root (only the apt lists
 * that {@code apt-get update} left) and verifies the archive's signatures and checksums the same way an install does.
 * apt-get runs in a fresh temporary folder and the .deb is moved into the directory only after it exited with
 * status 0: a killed or failed download leaves no file that looks fetched.
 */
class PackageDownloader {
    private static final String DOWNLOADING = ".download-";
    /** {@code .download-PID-RANDOM}: a download under way in process PID, or one it left when killed. */
    private static final Pattern DOWNLOADING_WITH_PID = Pattern.compile("\\.download-(\\d{1,18})-\\d+");

    /** For places that must not download (tests, offline use): every download fails, saying so. */
    static final PackageDownloader NONE = new PackageDownloader() {
        @Override
        Deb download(String name, Optional<String> version, Path directory, BooleanSupplier cancelled) throws IOException {
            throw new DownloadFailed("downloading " + name + " is off here");
        }
    };

    /** A downloaded or cached .deb and the version it holds. */
    record Deb(Path file, String version) {
    }

    /** Thrown with apt-get's own last error line when nothing could be fetched (offline, unknown version, no apt). */
    static final class DownloadFailed extends IOException {
        DownloadFailed(String message) {
            super(message);
        }
    }

    /** Downloads {@code NAME=VERSION}, or when {@code version} is empty the archive's candidate version. */
    Deb download(String name, Optional<String> version, Path directory, BooleanSupplier cancelled) throws IOException {
        Path temp = Files.createTempDirectory(Files.createDirectories(directory),
                DOWNLOADING + ProcessHandle.current().pid() + "-");
        try {
            runApt(name, version, temp, cancelled);
            try (Stream<Path> debs = Files.list(temp)) {
                for (Path deb : debs.filter(f -> f.toString().endsWith(".deb")).toList()) {
                    Files.move(deb, directory.resolve(deb.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            FileTrees.delete(temp);
        }
        String spec = version.map(v -> name + "=" + v).orElse(name);
        return version.map(v -> cached(name, v, directory)).orElseGet(() -> newest(name, directory))
                .orElseThrow(() -> new DownloadFailed("apt-get download " + spec + " left no .deb in " + directory));
    }

    private static void runApt(String name, Optional<String> version, Path directory, BooleanSupplier cancelled)
            throws IOException {
        String spec = version.map(v -> name + "=" + v).orElse(name);
        Process process;
        try {
            process = new ProcessBuilder("apt-get", "download", "-q", spec)
                    .directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DownloadFailed("apt-get is not available on this machine (" + e.getMessage() + ")");
        }
        try {
            process.getOutputStream().close();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process was destroyed; its output no longer matters
                }
            }, "apt-get output");
            reader.start();
            while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    process.destroyForcibly();
                    throw new CancellationException("download of " + spec + " was cancelled");
                }
            }
            reader.join();
            if (process.exitValue() != 0) {
                throw new DownloadFailed("apt-get download " + spec + " failed: " + lastError(output.toString()));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CancellationException("download of " + spec + " was interrupted");
        }
    }

    /**
     * The package's source tarball taken out of a .deb earlier ({@code NAME_VERSION.tar.xz}), else a .deb of
     * exactly this version, that an earlier run left in {@code directory}.
     */
    static Optional<Deb> cached(String name, String version, Path directory) {
        String escaped = version.replace(":", "%3a");
        for (Path file : new Path[] {directory.resolve(tarballName(name, version)),
                directory.resolve(name + "_" + escaped + "_all.deb")}) {
            if (Files.isRegularFile(file)) {
                return Optional.of(new Deb(file, version));
            }
        }
        return Optional.empty();
    }

    /** Where the tarball of a fetched package is kept once taken out of its .deb. */
    static String tarballName(String name, String version) {
        return name + "_" + version.replace(":", "%3a") + ".tar.xz";
    }

    /** The most recently fetched package (or its tarball) of {@code name} in {@code directory}, whatever its version. */
    static Optional<Deb> newest(String name, Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> isFetched(name, f))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .map(f -> new Deb(f, versionOf(name, f)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes the temporary folders of downloads that were killed. Another window, of this or another process, may
     * be downloading into the same directory: its folder is left alone while its process runs. Earlier versions'
     * folders, named without the pid, are removed as before.
     */
    static void cleanStale(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(DOWNLOADING)).toList()) {
                Matcher live = DOWNLOADING_WITH_PID.matcher(file.getFileName().toString());
                if (!live.matches() || AbandonedFiles.writerGone(live.group(1))) {
                    FileTrees.delete(file);
                }
            }
        }
    }

    /** Deletes every fetched package and tarball of {@code name}. */
    static void forget(String name, Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> isFetched(name, f)).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static boolean isFetched(String name, Path file) {
        String fileName = file.getFileName().toString();
        return fileName.startsWith(name + "_") && (fileName.endsWith(".deb") || fileName.endsWith(".tar.xz"));
    }

    private static String versionOf(String name, Path file) {
        String rest = file.getFileName().toString().substring(name.length() + 1);
        if (rest.endsWith(".tar.xz")) {
            rest = rest.substring(0, rest.length() - ".tar.xz".length());
        } else if (rest.lastIndexOf('_') >= 0) {
            rest = rest.substring(0, rest.lastIndexOf('_'));
        }
        return rest.replace("%3a", ":");
    }

    private static String lastError(String output) {
        List<String> lines = output.lines().filter(l -> l.startsWith("E:")).toList();
        if (!lines.isEmpty()) {
            return lines.get(lines.size() - 1).substring(2).trim();
        }
        List<String> all = output.lines().filter(l -> !l.isBlank()).toList();
        return all.isEmpty() ? "no output" : all.get(all.size() - 1).trim();
    }
}
