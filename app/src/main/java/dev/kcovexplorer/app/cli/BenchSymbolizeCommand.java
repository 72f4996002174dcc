package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.FileTrees;
import dev.kcovexplorer.symbolizer.AddressSymbolizer;
import dev.kcovexplorer.symbolizer.Agreement;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import dev.kcovexplorer.symbolizer.points.CoveragePoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;

/**
 * {@code bench symbolize}: our symbolizer against llvm-symbolizer and addr2line on the same addresses,
 * each as a child process so start-up counts (ours started through the launcher, as a user starts it: its
 * JVM options and class-data archive). Each round gives ours a new cache holding only the launcher's
 * class-data archive and runs the same {@code symbolize} command twice, as a user would:
 * the first run (which leaves the index behind when the addresses are mostly coverage points), then the
 * second. Runs alternate round by round so load changes hit every contender alike.
 */
@Command(name = "symbolize", mixinStandardHelpOptions = true, description = {
    "Time our symbolizer (the same command twice on a new, empty cache: first run, then second run) against "
        + "llvm-symbolizer and addr2line -afi on the same addresses, alternating, and print wall time, peak RSS "
        + "(VmHWM of each child) and the ratios.",
    "ADDRESS_FILE: one address per line; default: every coverage point (call and tail-call sites) of the vmlinux."})
final class BenchSymbolizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vmlinux", required = true, paramLabel = "FILE", description = "The ELF file to symbolize.")
    Path vmlinux;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of all four runs (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--launcher", paramLabel = "FILE", defaultValue = "./kcov-explorer",
            description = "The launcher that starts ours (default ${DEFAULT-VALUE}: run from the checkout).")
    Path launcher;

    @Parameters(arity = "0..1", paramLabel = "ADDRESS_FILE", description = "Addresses to symbolize.")
    Path addressFile;

    @Option(names = "--check", description = "Instead of timing: symbolize the addresses with ours and with "
            + "llvm-symbolizer and print how often they agree on every frame's file:line and on the function names, "
            + "with the first differences.")
    boolean check;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(vmlinux)) {
            throw new NoSuchFileException(vmlinux.toString());
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds " + rounds + ": expected at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            return checkAgainstLlvmSymbolizer(out);
        }
        Path dir = Files.createTempDirectory("kcov-bench-symbolize");
        try {
            Path addresses = dir.resolve("addresses.txt");
            int count = writeAddresses(addresses);
            out.printf(Locale.ROOT, "bench symbolize: %,d addresses of %s, %d rounds, alternating; %s%n", count,
                    vmlinux, rounds, TimedRun.machineLoad());
            out.flush();
            Path archiveOnly = recordClassDataArchive(dir, addresses);
            out.println("untimed first run through the launcher (records its class-data archive, copied into every "
                    + "round's new cache)");
            List<String> symbolize = List.of("symbolize", "--vmlinux", vmlinux.toString(), addresses.toString());
            Contender first = ours("ours, first run (no index)", symbolize);
            Contender second = ours("ours, second run (same command)", symbolize);
            Contender llvm = new Contender("llvm-symbolizer", List.of("llvm-symbolizer", "--output-style=JSON",
                    "--obj=" + vmlinux), addresses);
            Contender gnu = new Contender("addr2line -afi", List.of("addr2line", "-a", "-f", "-i", "-e",
                    vmlinux.toString()), addresses);
            Map<Contender, List<TimedRun>> results = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                Path cache = copyOf(archiveOnly, dir.resolve("cache-" + round));
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (Contender c : List.of(first, second, llvm, gnu)) {
                    TimedRun m = c.run(c == first || c == second ? cache : null);
                    results.computeIfAbsent(c, k -> new ArrayList<>()).add(m);
                    line.append(String.format(Locale.ROOT, "  %s %.2f s (%.2f s CPU) %.2f GB;", c.name(), m.seconds(),
                            m.cpuSeconds(), m.gigabytes()));
                    if (c == first) {
                        line.append(leftAnIndex(cache) ? " (left the index behind)" : " (left no index)");
                    }
                }
                out.println(line);
                out.flush();
            }
            summarize(out, results, llvm, gnu);
        } finally {
            FileTrees.delete(dir);
        }
        return 0;
    }

    /**
     * A cache holding only the launcher's class-data archive, as any earlier command leaves it: recorded by one
     * untimed run on a few addresses (too few to build an index).
     */
    private Path recordClassDataArchive(Path dir, Path addresses) throws IOException, InterruptedException {
        if (!Files.isRegularFile(launcher)) {
            throw new NoSuchFileException(launcher + " (the launcher: run from the checkout, or give --launcher)");
        }
        Path few = dir.resolve("few-addresses.txt");
        try (var lines = Files.lines(addresses)) {
            Files.write(few, lines.limit(10).toList());
        }
        Path cache = Files.createDirectories(dir.resolve("archive-only"));
        ours("warm-up", List.of("symbolize", "--vmlinux", vmlinux.toString(), few.toString())).run(cache);
        FileTrees.delete(cache.resolve("kcov-explorer").resolve("index"));
        return cache;
    }

    private static Path copyOf(Path cache, Path target) throws IOException {
        try (var walk = Files.walk(cache)) {
            for (Path p : walk.toList()) {
                Path copy = target.resolve(cache.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy);
                }
            }
        }
        return target;
    }

    /** Whether a run with {@code XDG_CACHE_HOME=cacheHome} saved an index there. */
    private static boolean leftAnIndex(Path cacheHome) throws IOException {
        Path index = cacheHome.resolve("kcov-explorer").resolve("index");
        if (!Files.isDirectory(index)) {
            return false;
        }
        try (var files = Files.list(index)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".kidx"));
        }
    }

    private int checkAgainstLlvmSymbolizer(PrintWriter out) throws IOException {
        long[] addresses = addresses();
        out.printf(Locale.ROOT, "bench symbolize --check: %,d addresses of %s, ours against llvm-symbolizer%n",
                addresses.length, vmlinux);
        out.flush();
        List<List<Frame>> ours;
        try (Symbolizer symbolizer = Symbolizer.open(vmlinux)) {
            ours = symbolizer.symbolize(addresses);
        }
        List<List<Frame>> theirs;
        try (AddressSymbolizer llvm = ExternalBackend.LLVM.open(vmlinux)) {
            theirs = llvm.symbolize(addresses);
        }
        Agreement agreement = Agreement.of(addresses, ours, theirs);
        out.println(agreement);
        agreement.differences().stream().limit(10).forEach(out::println);
        agreement.functionDifferences().stream().limit(5).forEach(out::println);
        out.flush();
        return 0;
    }

    /** The addresses of ADDRESS_FILE, or every coverage point (call and tail-call sites) of the vmlinux. */
    private long[] addresses() throws IOException {
        if (addressFile != null) {
            try (InputStream in = Files.newInputStream(addressFile)) {
                return AddressListParser.parse(in, addressFile.toString());
            }
        }
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            CoveragePoints points = CoveragePointScanner.scan(elf);
            return LongStream.concat(LongStream.of(points.calls()), LongStream.of(points.tails())).sorted().toArray();
        }
    }

    private int writeAddresses(Path target) throws IOException {
        long[] addresses = addresses();
        try (Writer w = Files.newBufferedWriter(target, StandardCharsets.US_ASCII)) {
            for (long a : addresses) {
                w.write("0x");
                w.write(Long.toHexString(a));
                w.write('\n');
            }
        }
        return addresses.length;
    }

    private Contender ours(String name, List<String> args) {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(args);
        return new Contender(name, command, null);
    }

    private static void summarize(PrintWriter out, Map<Contender, List<TimedRun>> results, Contender llvm,
                                  Contender gnu) {
        TimedRun llvmMedian = median(results.get(llvm));
        TimedRun gnuMedian = median(results.get(gnu));
        out.println("median wall time (CPU time) and peak RSS, and ratios to llvm-symbolizer | addr2line:");
        for (Map.Entry<Contender, List<TimedRun>> e : results.entrySet()) {
            TimedRun m = median(e.getValue());
            out.printf(Locale.ROOT, "  %-32s %7.2f s (%6.2f s CPU) %6.2f GB   time %s | %s   RSS %s | %s%n",
                    e.getKey().name(), m.seconds(), m.cpuSeconds(), m.gigabytes(), ratio(m.seconds(), llvmMedian.seconds()),
                    ratio(m.seconds(), gnuMedian.seconds()), ratio(m.peakRss(), llvmMedian.peakRss()),
                    ratio(m.peakRss(), gnuMedian.peakRss()));
        }
        out.println("at the end: " + TimedRun.machineLoad());
        out.flush();
    }

    /** "0.42x", or "n/a" when a process ended before its memory could be sampled. */
    private static String ratio(double value, double reference) {
        return value > 0 && reference > 0 ? String.format(Locale.ROOT, "%5.2fx", value / reference) : "  n/a";
    }

    /** The median run by wall time (the CPU time and RSS are that run's). */
    private static TimedRun median(List<TimedRun> runs) {
        List<TimedRun> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(TimedRun::seconds));
        return sorted.get(sorted.size() / 2);
    }

    /** One command to time; its output is discarded, a failure stops the benchmark. */
    private record Contender(String name, List<String> command, Path stdin) {
        /** @param cacheHome the child's {@code XDG_CACHE_HOME}, or null to leave it as it is */
        TimedRun run(Path cacheHome) throws IOException, InterruptedException {
            TimedRun run = TimedRun.of(command, stdin,
                    cacheHome == null ? Map.of() : Map.of("XDG_CACHE_HOME", cacheHome.toString()));
            if (run.exitCode() != 0) {
                throw new IOException(name + " failed (exit " + run.exitCode() + "): " + run.error());
            }
            return run;
        }
    }
}
