package dev.kcovexplorer.kcov.usb;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether the kernel has oopsed since the campaign started: {@code /proc/sys/kernel/tainted} gains
 * {@code TAINT_DIE} (bit 7, "D"), or the kernel log holds more oops reports than it did at the start. A device that
 * makes hub_event oops (a divide error in a HID driver's probe, say) kills the worker that serves the bus: every
 * later device gets no request at all, and a campaign going on would paint a flat curve as if the fuzzer had found
 * nothing more. The taint is cheap and read often; the log takes a {@code dmesg} run and is read only when a
 * connection looks wrong: seed 71's blind campaign went on for two minutes after the HID divide error without its
 * taint check firing.
 */
final class KernelTaint {
    static final Path PROC = Path.of("/proc/sys/kernel/tainted");
    private static final long TAINT_DIE = 1L << 7;
    /**
     * The first line of an oops report as 6.1's die(), BUG() and page-fault paths print it: at the line's start or
     * right after dmesg's timestamp only, since a guest process's trap is logged with the same words after its name
     * and pid ({@code traps: busybox[123] general protection fault ip:…}) and must not end a healthy campaign.
     */
    private static final Pattern OOPS = Pattern.compile(
            "^(?:\\[\\s*\\d+\\.\\d+\\] )?(?:Oops|divide error|general protection fault|invalid opcode|kernel BUG at"
                    + "|BUG: (?:unable to handle|kernel NULL pointer))");
    private static final long DMESG_SECONDS = 10;

    private final Path tainted;
    private final Supplier<Optional<List<String>>> kernelLog;
    private final boolean diedBefore;
    /**
     * The oops lines the log held at the start, each with how many times it held that very line (dmesg's timestamp
     * makes each one of its own); null while the log could not be read. Lines, not a count: a kernel log is a ring
     * (128 KiB on the demo kernel), and once it wraps an old report drops out as a new one comes in, the count
     * staying the same.
     */
    private Map<String, Long> oopsesBefore;

    /** The taint alone, no log. */
    KernelTaint(Path tainted) {
        this(tainted, () -> Optional.of(List.of()));
    }

    /** {@code kernelLog} gives the kernel log's lines as they are now, or nothing when it could not be read. */
    KernelTaint(Path tainted, Supplier<Optional<List<String>>> kernelLog) {
        this.tainted = tainted;
        this.kernelLog = kernelLog;
        this.diedBefore = died();
        this.oopsesBefore = kernelLog.get().map(KernelTaint::countedOopses).orElse(null);
    }

    /** This kernel's: its taint and its log ({@code dmesg}). */
    static KernelTaint ofThisKernel() {
        return new KernelTaint(PROC, KernelTaint::dmesg);
    }

    /** Whether the kernel oopsed after this was made by its taint (not when it already had: then nothing can be told). */
    boolean oopsedSince() {
        return !diedBefore && died();
    }

    /**
     * Whether the kernel oopsed after this was made, by its taint or its log: how it says so (the first new oops
     * line of the log), or null.
     */
    String deathSince() {
        if (oopsedSince()) {
            return "the kernel oopsed (tainted D, see dmesg)";
        }
        Optional<List<String>> log = kernelLog.get();
        if (log.isEmpty()) {
            return null;
        }
        if (oopsesBefore == null) {
            // The start's read failed: which reports are old cannot be told, and counting them as new would end a
            // healthy campaign. What the log holds now is the start's; an oops in between is the taint's and the
            // silent bus's to tell.
            oopsesBefore = countedOopses(log.get());
            return null;
        }
        Map<String, Long> unmatched = new HashMap<>(oopsesBefore);
        for (String line : oopses(log.get())) {
            if (unmatched.merge(line, -1L, Long::sum) < 0) {
                return "the kernel oopsed (dmesg: " + line.strip() + ")";
            }
        }
        return null;
    }

    /** The lines of {@code lines} that begin an oops report. */
    static List<String> oopses(List<String> lines) {
        return lines.stream().filter(line -> OOPS.matcher(line).find()).toList();
    }

    private static Map<String, Long> countedOopses(List<String> lines) {
        return oopses(lines).stream().collect(Collectors.groupingBy(line -> line, Collectors.counting()));
    }

    private boolean died() {
        try {
            return (Long.parseLong(Files.readString(tainted).trim()) & TAINT_DIE) != 0;
        } catch (IOException | NumberFormatException e) {
            return false; // no procfs (not Linux) or an odd kernel: nothing to tell
        }
    }

    /** The kernel log by {@code dmesg}, or nothing when it cannot be run, fails or does not end in time. */
    private static Optional<List<String>> dmesg() {
        return output(List.of("dmesg"), Duration.ofSeconds(DMESG_SECONDS));
    }

    /**
     * What {@code command} printed, or nothing (not even an empty list) when it cannot be run, fails, or has not ended within {@code limit}.
     * Its output goes to a file, not a pipe, so the limit covers a command that hangs before it ends its output (a
     * pipe read would wait for it without bound); the process is killed on every way out, an interrupt included.
     */
    static Optional<List<String>> output(List<String> command, Duration limit) {
        Path out = null;
        Process process = null;
        try {
            out = Files.createTempFile("kcov-explorer-dmesg", ".txt");
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(new String(Files.readAllBytes(out), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            return Optional.empty(); // no dmesg: the taint and the silent bus still tell
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (process != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temporary file left in /tmp: nothing the campaign can do about it
                }
            }
        }
    }
}
