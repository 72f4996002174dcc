package dev.kcovexplorer.app.model.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Fetches a package's .deb into a directory with {@code apt-get download}, which needs no root (only the apt lists
 * that {@code apt-get update} left) and verifies the archive's signatures and checksums the same way an install does.
 */
class PackageDownloader {
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
        Files.createDirectories(directory);
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
        return version.map(v -> cached(name, v, directory)).orElseGet(() -> newest(name, directory))
                .orElseThrow(() -> new DownloadFailed("apt-get download " + spec + " left no .deb in " + directory));
    }

    /** A .deb of exactly this version that an earlier run left in {@code directory}. */
    static Optional<Deb> cached(String name, String version, Path directory) {
        Path file = directory.resolve(name + "_" + version.replace(":", "%3a") + "_all.deb");
        return Files.isRegularFile(file) ? Optional.of(new Deb(file, version)) : Optional.empty();
    }

    /** The most recently fetched .deb of {@code name} in {@code directory}, whatever its version. */
    static Optional<Deb> newest(String name, Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith(name + "_") && f.toString().endsWith(".deb"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .map(f -> new Deb(f, versionOf(name, f)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String versionOf(String name, Path deb) {
        String file = deb.getFileName().toString();
        String rest = file.substring(name.length() + 1);
        int arch = rest.lastIndexOf('_');
        return (arch < 0 ? rest : rest.substring(0, arch)).replace("%3a", ":");
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
