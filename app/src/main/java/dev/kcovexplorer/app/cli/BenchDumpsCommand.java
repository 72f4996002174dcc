package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.DumpWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench dumps}: writes a kernel-like TRACE_PC area to a temporary directory, then times
 * {@link DumpReader#read(Path)} (parse and de-duplicate) and measures the heap it allocates and keeps.
 * Bytes allocated by the read bound the heap it needs at its peak, whatever the collector does.
 */
@Command(name = "dumps", mixinStandardHelpOptions = true, description = {
    "Time parsing + de-duplicating a generated binary kcov area (default 10M entries) and report its heap.",
    "Run with KCOV_EXPLORER_JAVA_OPTS=-Xmx300m to check it fits a 300 MB heap."})
final class BenchDumpsCommand implements Callable<Integer> {
    private static final long KERNEL_TEXT = 0xffffffff81000000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--entries", defaultValue = "10000000", description = "PCs in the trace (default ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--unique", defaultValue = "400000",
            description = "Distinct coverage points the trace draws from (default ${DEFAULT-VALUE}, a kernel's worth).")
    int unique;

    @Option(names = "--all-unique", description = "Worst case: every PC different, in random order.")
    boolean allUnique;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed reads (default ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("kcov-bench");
        Path dump = dir.resolve("area.bin");
        try {
            SplittableRandom random = new SplittableRandom(42);
            long[] trace = allUnique ? allUniqueTrace(entries, random) : kernelLikeTrace(entries, unique, random);
            int distinct = distinct(trace);
            DumpWriter.writePcArea(dump, trace, 8);
            trace = null;
            out.printf(Locale.ROOT, "bench dumps: %,d-entry TRACE_PC area, 8-byte words, %,d unique PCs, %.1f MB file%n",
                    entries, distinct, Files.size(dump) / 1e6);
            out.flush();
            measure(dump, distinct, out);
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(dir);
        }
        return 0;
    }

    private void measure(Path dump, int distinct, PrintWriter out) throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] millis = new long[iterations];
        long allocated = 0;
        long retained = 0;
        for (int i = 0; i < iterations; i++) {
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            CoverageRun run = DumpReader.read(dump);
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            allocated = Math.max(allocated, threads.getCurrentThreadAllocatedBytes() - allocatedBefore);
            if (run.entries() != entries || run.uniquePcs().length != distinct) {
                throw new IllegalStateException("read back " + run.entries() + " entries / "
                        + run.uniquePcs().length + " unique PCs, wrote " + entries + " / " + distinct);
            }
            System.gc();
            retained = Math.max(retained, memory.getHeapMemoryUsage().getUsed() - before);
            out.printf(Locale.ROOT, "  read %d%s: %,d ms%n", i + 1, i == 0 ? " (cold JIT)" : "", millis[i]);
            out.flush();
            run = null;
        }
        long[] warm = iterations > 1 ? Arrays.copyOfRange(millis, 1, iterations) : millis.clone();
        Arrays.sort(warm);
        out.printf(Locale.ROOT, "parse+dedup: cold %,d ms, warm median %,d ms, best %,d ms%n",
                millis[0], warm[warm.length / 2], warm[0]);
        out.printf(Locale.ROOT, "heap: %.0f MB allocated per read (its peak need), %.0f MB retained by the run, max heap %.0f MB%n",
                allocated / 1e6, retained / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
    }

    /**
     * Kernel-like execution: basic blocks of a function run in a row, hot functions often, cold ones
     * rarely; points sit 8..64 bytes apart in a kernel text segment.
     */
    static long[] kernelLikeTrace(int length, int points, SplittableRandom random) {
        long[] addresses = new long[points];
        long address = KERNEL_TEXT;
        for (int i = 0; i < points; i++) {
            address += 8 + random.nextInt(57);
            addresses[i] = address;
        }
        long[] trace = new long[length];
        int n = 0;
        while (n < length) {
            double r = random.nextDouble();
            int function = (int) (points * r * r * r);
            int blocks = 2 + random.nextInt(24);
            for (int b = 0; b < blocks && n < length && function + b < points; b++) {
                trace[n++] = addresses[function + b];
            }
        }
        return trace;
    }

    /** Every PC different and in random order: nothing for the hash table to gain, all for the sort to do. */
    static long[] allUniqueTrace(int length, SplittableRandom random) {
        long[] trace = new long[length];
        for (int i = 0; i < length; i++) {
            trace[i] = KERNEL_TEXT + (long) i * 8;
        }
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = trace[i];
            trace[i] = trace[j];
            trace[j] = swap;
        }
        return trace;
    }

    /** An independent count of the distinct PCs, to check what the reader returns. */
    private static int distinct(long[] trace) {
        long[] sorted = trace.clone();
        Arrays.sort(sorted);
        int distinct = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }
}
