package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oops check reads the taint mask as the kernel prints it (decimal), bit 7 ("D") meaning a task died, and the
 * kernel log's oops reports (6.1's first lines of them, as dmesg prints them) that came after the start.
 */
class KernelTaintTest {
    @TempDir
    Path dir;

    @Test
    void anOopsAfterTheStartIsSeenAndOtherTaintsAreNot() throws Exception {
        Path tainted = dir.resolve("tainted");
        Files.writeString(tainted, "4096\n"); // O: an out-of-tree module
        KernelTaint taint = new KernelTaint(tainted);
        assertThat(taint.oopsedSince()).isFalse();
        Files.writeString(tainted, Long.toString(4096 | 128) + "\n");
        assertThat(taint.oopsedSince()).isTrue();
    }

    @Test
    void aKernelThatHadOopsedAlreadyTellsNothing() throws Exception {
        Path tainted = dir.resolve("tainted");
        Files.writeString(tainted, "128\n");
        assertThat(new KernelTaint(tainted).oopsedSince()).isFalse();
    }

    /**
     * The kernel log tells an oops the taint did not (seed 71's blind campaign went on after the HID divide error):
     * only reports that came after the start count, whatever else the log holds.
     */
    @Test
    void anOopsReportInTheLogAfterTheStartIsSeen() throws Exception {
        Path tainted = untainted();
        List<String> log = new ArrayList<>(List.of(
                "[    0.000000] Linux version 6.1.0 (kcov)",
                "[    2.100000] general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP"));
        KernelTaint taint = new KernelTaint(tainted, asItIs(log));
        assertThat(taint.deathSince()).as("the report before the start").isNull();
        log.add("[   90.000000] usb 3-1: new high-speed USB device number 57 using dummy_hcd");
        log.add("[   91.000000] hid-generic 0003:046D:C52B.0039: unknown main item tag 0x0 (Oops in the name)");
        assertThat(taint.deathSince()).as("no oops report, only the word").isNull();
        log.add("[  180.412345] divide error: 0000 [#2] PREEMPT SMP NOPTI");
        log.add("[  180.412399] CPU: 0 PID: 44 Comm: kworker/0:2 Not tainted 6.1.0 #1");
        assertThat(taint.deathSince())
                .isEqualTo("the kernel oopsed (dmesg: [  180.412345] divide error: 0000 [#2] PREEMPT SMP NOPTI)");
        assertThat(taint.oopsedSince()).as("the taint alone").isFalse();
        Files.writeString(tainted, "128\n");
        assertThat(taint.deathSince()).isEqualTo("the kernel oopsed (tainted D, see dmesg)");
    }

    /**
     * The log is a ring: with a report already in it at the start, a new one can come in as the old one drops out
     * (the count of reports the same). The new line is what tells.
     */
    @Test
    void aNewOopsIsSeenWhenTheRingHasDroppedAnOldOne() throws Exception {
        List<String> log = new ArrayList<>(List.of(
                "[    2.100000] general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP",
                "[    3.000000] usb 3-1: new high-speed USB device number 2 using dummy_hcd"));
        KernelTaint taint = new KernelTaint(untainted(), asItIs(log));
        log.remove(0); // wrapped: the oldest line is gone
        assertThat(taint.deathSince()).as("an old report dropped out").isNull();
        log.add("[  180.412345] divide error: 0000 [#2] PREEMPT SMP NOPTI");
        assertThat(taint.deathSince())
                .isEqualTo("the kernel oopsed (dmesg: [  180.412345] divide error: 0000 [#2] PREEMPT SMP NOPTI)");
    }

    /**
     * A log that could not be read at the start (dmesg failed or hung) tells nothing of which reports are old: the
     * first log read later stands for the start's, so an oops from before the campaign cannot end a healthy one.
     * An oops after that read is seen.
     */
    @Test
    void aLogUnreadAtTheStartMakesNoOldOopsNew() throws Exception {
        List<String> log = new ArrayList<>(List.of(
                "[    2.100000] general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP"));
        AtomicBoolean readable = new AtomicBoolean(false);
        KernelTaint taint = new KernelTaint(untainted(),
                () -> readable.get() ? Optional.of(List.copyOf(log)) : Optional.empty());
        assertThat(taint.deathSince()).as("still unreadable").isNull();
        readable.set(true);
        assertThat(taint.deathSince()).as("the report from before the start").isNull();
        log.add("[  180.412345] divide error: 0000 [#2] PREEMPT SMP NOPTI");
        assertThat(taint.deathSince())
                .isEqualTo("the kernel oopsed (dmesg: [  180.412345] divide error: 0000 [#2] PREEMPT SMP NOPTI)");
    }

    @Test
    void oopsReportsAreCountedByTheirFirstLine() {
        assertThat(KernelTaint.oopses(List.of(
                "[    5.1] BUG: kernel NULL pointer dereference, address: 0000000000000008",
                "[    5.1] #PF: supervisor read access in kernel mode",
                "[    5.1] Oops: 0000 [#1] PREEMPT SMP NOPTI",
                "[    9.0] kernel BUG at drivers/usb/core/hub.c:2000!",
                "[    9.0] invalid opcode: 0000 [#2] PREEMPT SMP NOPTI",
                "[   12.0] WARNING: CPU: 0 PID: 9 at kernel/kcov.c:868 kcov_task_exit+0x50/0x60",
                "[   13.0] usb 3-1: device descriptor read/64, error -110"))).hasSize(4);
    }

    /**
     * A guest process's trap is logged with an oops's words after its name and pid (arch/x86/kernel/traps.c's
     * show_signal: {@code "%s[%d] %s%s ip:%lx sp:%lx error:%lx"} under the "traps: " prefix): it is no oops of the
     * kernel, with or without dmesg's timestamp. The kernel's own reports (die()'s {@code "%s: %04lx [#%d]"}) are.
     */
    @Test
    void aUserSpaceTrapIsNoKernelOops() {
        assertThat(KernelTaint.oopses(List.of(
                "[  201.553120] traps: busybox[123] general protection fault ip:4a1f3c sp:7ffd3b2c1e80 error:0"
                        + " in busybox[401000+c6000]",
                "traps: busybox[123] general protection fault ip:4a1f3c sp:7ffd3b2c1e80 error:0 in busybox[401000+c6000]",
                "[  202.000001] traps: kx[77] trap divide error ip:401136 sp:7ffc9e1d2b40 error:0 in kx[401000+1000]",
                "[  203.000002] traps: sh[78] trap invalid opcode ip:401140 sp:7ffc9e1d2b40 error:0 in sh[401000+1000]",
                "[  204.000003] kx[79]: segfault at 0 ip 0000000000401136 sp 00007ffc9e1d2b40 error 4 in kx[401000+1000]")))
                .isEmpty();
        assertThat(KernelTaint.oopses(List.of(
                "[  180.412345] divide error: 0000 [#1] PREEMPT SMP NOPTI",
                "divide error: 0000 [#1] PREEMPT SMP NOPTI",
                "[ 1801.000000] general protection fault, probably for non-canonical address 0xdead000000000100: 0000"
                        + " [#2] PREEMPT SMP NOPTI",
                "[    7.5] BUG: unable to handle page fault for address: ffffffffc0001000"))).hasSize(4);
    }

    @Test
    void aCommandsOutputIsItsLines() {
        assertThat(KernelTaint.output(List.of("sh", "-c", "printf 'one\\ntwo\\n'"), Duration.ofSeconds(60)))
                .hasValueSatisfying(lines -> assertThat(lines).containsExactly("one", "two"));
        assertThat(KernelTaint.output(List.of("sh", "-c", "echo half; exit 1"), Duration.ofSeconds(60))).isEmpty();
        assertThat(KernelTaint.output(List.of("true"), Duration.ofSeconds(60))).as("an empty log is read")
                .hasValue(List.of());
    }

    /**
     * A dmesg that hangs (a kernel whose log is stuck) is given up after the limit and killed: reading its output
     * before waiting would have waited for its end, with no limit at all.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHungCommandIsGivenUpAfterItsLimitAndKilled() {
        assertThat(KernelTaint.output(HANGS, Duration.ofMillis(200))).isEmpty();
        waitUntilNoSleeper();
    }

    /** Interrupting the campaign's thread while dmesg runs kills dmesg too, and the interrupt stays set. */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anInterruptKillsTheCommand() throws Exception {
        AtomicReference<Optional<List<String>>> out = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            out.set(KernelTaint.output(HANGS, Duration.ofSeconds(600)));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        reader.start();
        while (sleepers().isEmpty()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a poll, not a spin: two cores are shared
        }
        reader.interrupt();
        reader.join();
        assertThat(out.get()).isEmpty();
        assertThat(stillInterrupted).isTrue();
        waitUntilNoSleeper();
    }

    /** A command that does not end for ten minutes: this JVM's own child, so its end can be watched. */
    private static final List<String> HANGS = List.of("sleep", "600");

    private static List<ProcessHandle> sleepers() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().command().map(command -> command.endsWith("/sleep")).orElse(false))
                .toList();
    }

    /**
     * Waits on each sleeper's own end, not spinning on the process table (that took a whole core for as long as
     * the kill took); no new one can start, the command having returned.
     */
    private static void waitUntilNoSleeper() {
        sleepers().forEach(sleeper -> sleeper.onExit().join());
        assertThat(sleepers()).isEmpty();
    }

    @Test
    void noTaintFileTellsNothing() {
        assertThat(new KernelTaint(dir.resolve("missing")).oopsedSince()).isFalse();
    }

    /** A taint file that says the kernel is untainted. */
    private Path untainted() throws IOException {
        Path tainted = dir.resolve("tainted");
        Files.writeString(tainted, "0\n");
        return tainted;
    }

    /** A kernel log read as {@code log} holds it at each read. */
    private static Supplier<Optional<List<String>>> asItIs(List<String> log) {
        return () -> Optional.of(List.copyOf(log));
    }
}
