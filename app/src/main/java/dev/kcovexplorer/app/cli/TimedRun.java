package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.symbolizer.external.ProcStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command run as a child process, measured as its user sees it: wall time, CPU time (the child's and
 * its children's, exact: what the kernel adds to this process's {@code cutime}/{@code cstime} when it reaps
 * them) and peak resident set ({@code VmHWM}, sampled every few milliseconds: a high-water mark loses
 * little). Output is discarded; standard error is kept for a failure's message.
 */
record TimedRun(double seconds, double cpuSeconds, long peakRss, int exitCode, String error) {
    /** How often VmHWM is sampled. */
    private static final long SAMPLE_MILLIS = 5;
    /** /proc counts CPU time in USER_HZ ticks, 100 a second on every Linux architecture. */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * @param stdin fed to the command, or null for none
     * @param environment added to this process's environment
     */
    static TimedRun of(List<String> command, Path stdin, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path stderr = Files.createTempFile("kcov-bench", ".err");
        try {
            pb.redirectError(stderr.toFile());
            if (stdin != null) {
                pb.redirectInput(stdin.toFile());
            }
            pb.environment().putAll(environment);
            long cpuBefore = childrenCpuTicks();
            long start = System.nanoTime();
            Process p = pb.start();
            long peak = ProcStatus.peakRssBytes(p.pid());
            while (!p.waitFor(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, ProcStatus.peakRssBytes(p.pid()));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (childrenCpuTicks() - cpuBefore) / TICKS_PER_SECOND;
            String error = p.exitValue() == 0 ? "" : Files.readString(stderr).strip().lines().findFirst().orElse("");
            return new TimedRun(seconds, cpu, peak, p.exitValue(), error);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    /** "load average 13.20 on 2 cores": the context every figure needs on a shared machine. */
    static String machineLoad() {
        return String.format(java.util.Locale.ROOT, "load average %.2f on %d cores",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    double gigabytes() {
        return peakRss / 1e9;
    }

    double megabytes() {
        return peakRss / 1e6;
    }

    /** cutime + cstime of this process: the CPU time of the children it has reaped. */
    private static long childrenCpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // Fields after the command name (which may hold spaces), from field 3 (state) on.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
    }
}
