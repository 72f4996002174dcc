package dev.kcovexplorer.app.model.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Extracts chosen files of a kernel source tarball into a directory. The JDK has no xz decoder and the project
 * allows no library for it, so this pipes the bytes through the machine's {@code xz} and {@code tar} (present on
 * every Debian system, where {@code apt-get download} works at all). Java feeds the first process itself, which
 * gives real progress and a cancel that stops the pipeline.
 */
final class SourceExtractor {
    private static final int CHUNK = 1 << 20;

    private SourceExtractor() {
    }

    /** Extracts {@code paths} (relative to the tree) from the package's nested {@code usr/src/NAME.tar.xz}. */
    static void fromDeb(Path deb, SourcePackage pkg, Collection<String> paths, Path target,
                        Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        DebArchive member = DebArchive.dataMember(deb);
        List<String> outer = List.of("tar", "-xO", "--wildcards", "*" + pkg.tarballPath());
        run(deb, member.offset(), member.size(), List.of(List.of(member.decompressor()), outer),
                pkg, paths, target, "Unpacking " + pkg + " from " + deb.getFileName(), progress, cancelled);
    }

    /** Extracts {@code paths} from an installed {@code /usr/src/NAME.tar.xz}. */
    static void fromTarball(Path tarball, SourcePackage pkg, Collection<String> paths, Path target,
                            Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        run(tarball, 0, Files.size(tarball), List.of(), pkg, paths, target,
                "Unpacking " + pkg + " from " + tarball, progress, cancelled);
    }

    private static void run(Path input, long offset, long size, List<List<String>> before, SourcePackage pkg,
                            Collection<String> paths, Path target, String message,
                            Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        Files.createDirectories(target);
        Path list = Files.createTempFile(target, ".paths", ".txt");
        Path errors = Files.createTempFile(target, ".errors", ".txt");
        List<String> members = new ArrayList<>(paths.size());
        for (String path : paths) {
            members.add(pkg.name() + "/" + path);
        }
        Files.write(list, members, StandardCharsets.UTF_8);
        List<ProcessBuilder> stages = new ArrayList<>();
        for (List<String> command : before) {
            stages.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile())));
        }
        stages.add(new ProcessBuilder("tar", "-xJ", "-C", target.toString(), "--strip-components=1",
                "--no-same-owner", "-T", list.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD));
        List<Process> processes;
        try {
            processes = ProcessBuilder.startPipeline(stages);
        } catch (IOException e) {
            throw new IOException("cannot run xz/tar to unpack the sources (" + e.getMessage() + ")", e);
        }
        try {
            feed(input, offset, size, processes.get(0).getOutputStream(), message, progress, cancelled);
            for (Process process : processes) {
                process.waitFor();
            }
            // tar exits 2 when listed files are missing from the archive (generated files): that is a status,
            // not a failure. Anything else it or xz complains about is.
            List<String> problems = Files.readAllLines(errors, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.contains("Not found in archive"))
                    .filter(line -> !line.contains("Exiting with failure status due to previous errors"))
                    .filter(line -> !line.isBlank())
                    .toList();
            if (!problems.isEmpty()) {
                throw new IOException("unpacking " + input + " failed: " + problems.get(0));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while unpacking " + input);
        } finally {
            processes.forEach(Process::destroyForcibly);
            Files.deleteIfExists(list);
            Files.deleteIfExists(errors);
        }
    }

    private static void feed(Path input, long offset, long size, OutputStream sink, String message,
                             Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        try (InputStream in = Files.newInputStream(input); OutputStream out = sink) {
            in.skipNBytes(offset);
            byte[] buffer = new byte[CHUNK];
            long done = 0;
            while (done < size) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("unpacking " + input + " was cancelled");
                }
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - done));
                if (n < 0) {
                    throw new IOException(input + ": ends at offset " + (offset + done) + ", expected " + size + " bytes");
                }
                out.write(buffer, 0, n);
                done += n;
                progress.accept(new SourceProgress(message, (double) done / size));
            }
        } catch (IOException e) {
            if ("Broken pipe".equals(e.getMessage()) || "Stream closed".equals(e.getMessage())) {
                return; // a stage ended early: its own error output says why, and run() reports it
            }
            throw e;
        }
    }
}
