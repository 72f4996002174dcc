package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.testing.ChildProcesses;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code sample-data/capture} beside another holder of its run directories' lock, stopped before any VM
 * boots: the second capture refuses at once, names the holder and says how to run beside it, and removes nothing
 * of the holder's runs; a holder killed with -9 leaves a lock file that holds nobody back. The kernel given does
 * not exist, so a capture that gets past the lock ends at {@code vm/boot}'s "no kernel" without booting.
 */
class CaptureLockTest {
    @TempDir
    Path dir;

    private Process holder;

    @AfterEach
    void endHolder() {
        if (holder != null) {
            ChildProcesses.killTree(holder.toHandle());
        }
    }

    @Test
    void aSecondCaptureRefusesNamingTheOneRunningAndLeavesItsRunsAlone() throws Exception {
        Path runs = Files.createDirectories(dir.resolve("cache/kcov-explorer/vm/runs"));
        Path marker = Files.createDirectories(runs.resolve("usb-keyboard")).resolve("usb-keyboard-pc.kcov");
        Files.writeString(marker, "the running capture's dump");
        holder = holdLock(runs);

        String output = capture();

        assertThat(output).contains("capture: another capture is using the run directories in " + runs,
                "(pid " + holder.pid() + ": flock -o " + runs + ".lock sleep 600)",
                "run beside it with a cache of your own: XDG_CACHE_HOME=DIR KERNEL_DIR=")
                .doesNotContain("boot:");
        assertThat(marker).hasContent("the running capture's dump");
    }

    @Test
    void aLockFileLeftByAKilledCaptureHoldsNobodyBack() throws Exception {
        Path runs = Files.createDirectories(dir.resolve("cache/kcov-explorer/vm/runs"));
        holder = holdLock(runs);
        ChildProcesses.killTree(holder.toHandle());
        holder.waitFor();

        String output = capture();

        assertThat(dir.resolve("cache/kcov-explorer/vm/runs.lock")).exists();
        assertThat(output).doesNotContain("another capture").contains("boot: no kernel at " + dir.resolve("none"));
    }

    /**
     * flock(1) holding the capture's lock file, as a running capture holds it, until it is killed; -o: its
     * command (sleep) does not inherit the lock, as capture's VMs do not.
     */
    private static Process holdLock(Path runs) throws Exception {
        Requirements.tools("flock");
        Path lock = Path.of(runs + ".lock");
        Process process = new ProcessBuilder("flock", "-o", lock.toString(), "sleep", "600").start();
        FakeVm.await(() -> Files.exists(lock) && locked(lock), "flock holding " + lock, 30);
        return process;
    }

    private static boolean locked(Path lock) {
        try {
            return new ProcessBuilder("flock", "-n", lock.toString(), "true").start().waitFor() != 0;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String capture() throws Exception {
        Path classPath = Files.writeString(dir.resolve("app.jar"), "");
        ProcessBuilder builder = new ProcessBuilder(DemoKernel.ROOT.resolve("sample-data/capture").toString(),
                "--kernel", dir.resolve("none").toString(), "--classpath", classPath.toString(), "--out",
                dir.resolve("out").toString(), "usb-keyboard").redirectErrorStream(true)
                .redirectOutput(dir.resolve("capture.txt").toFile());
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        builder.environment().remove("KERNEL_DIR");
        // Into a file, not read from a pipe: a read would wait past the deadline below for a capture that hangs.
        OptionalInt status = ChildProcesses.run(builder, Duration.ofSeconds(60));
        String output = Files.readString(dir.resolve("capture.txt"));
        assertThat(status).as(output).isPresent();
        assertThat(status.getAsInt()).as(output).isNotZero();
        return output;
    }
}
