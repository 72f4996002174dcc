package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.source.FileStatus;
import dev.kcovexplorer.app.model.source.SourceManifest;
import dev.kcovexplorer.app.model.source.TarballSources;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench sources}: what the window does with a session's source tarball on a cold cache, timed: the first
 * editor's file read on demand, then the whole background unpack of every file the session lists.
 */
@Command(name = "sources", mixinStandardHelpOptions = true, description = {
    "Time reading a session's sources from its tarball into an empty cache: the first editor's file on demand, "
            + "then the background unpack of every file the session lists (checked against the session's SHA-256)."})
final class BenchSourcesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--session", paramLabel = "FILE", defaultValue = "sample-data/demo/demo.kcovx",
            description = "The session (default ${DEFAULT-VALUE}).")
    Path session;

    @Option(names = "--tarball", paramLabel = "FILE",
            description = "The source tarball (default: the installed /usr/src/NAME.tar.xz of the session's package).")
    Path tarball;

    @Option(names = "--file", paramLabel = "PATH", defaultValue = "drivers/usb/core/hub.c",
            description = "The first editor's file (default ${DEFAULT-VALUE}).")
    String file;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SourceManifest manifest = SessionFile.read(session).kernel().sourceManifest()
                .orElseThrow(() -> new IOException(session + ": the session names no source package"));
        Path source = tarball != null ? tarball : Path.of("/usr/src", manifest.sourcePackage().name() + ".tar.xz");
        Path cache = Files.createTempDirectory("kcov-explorer-bench-sources");
        try {
            TarballSources sources = new TarballSources(source, cache, manifest.sha256ByPath());
            long start = System.nanoTime();
            sources.prepare(step -> { }, () -> false);
            int lines = sources.text(file, () -> false).map(text -> text.split("\n", -1).length).orElse(0);
            long first = System.nanoTime();
            out.printf(Locale.ROOT, "first file  %s: %.2f s (%,d lines, %s)%n", file, seconds(start, first), lines,
                    sources.status(file).name().toLowerCase(Locale.ROOT));
            out.flush();
            sources.unpackRest(step -> { }, () -> false);
            long whole = System.nanoTime();
            int verified = 0;
            int differ = 0;
            int absent = 0;
            for (String path : manifest.sha256ByPath().keySet()) {
                sources.text(path, () -> false);
                FileStatus status = sources.status(path);
                verified += status == FileStatus.VERIFIED ? 1 : 0;
                differ += status == FileStatus.DRIFTED ? 1 : 0;
                absent += status == FileStatus.NOT_IN_PACKAGE ? 1 : 0;
            }
            out.printf(Locale.ROOT, "whole unpack: %.2f s after it (%,d files: %,d verified, %,d differ, %,d not in %s)%n",
                    seconds(first, whole), manifest.sha256ByPath().size(), verified, differ, absent, source.getFileName());
            out.printf(Locale.ROOT, "load average %.2f on %d cores%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            return 0;
        } finally {
            try (Stream<Path> walk = Files.walk(cache)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
