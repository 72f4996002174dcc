package dev.kcovexplorer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child that outlives its limit is killed, and so is what it started; one that ends gives its status. The checks
 * wait on each process's own end under a timeout far below their {@code sleep 600}: one left running fails them.
 */
class ChildProcessesTest {
    @TempDir
    Path dir;

    @Test
    void anEndedCommandGivesItsStatus() throws Exception {
        assertEquals(OptionalInt.of(3), ChildProcesses.run(new ProcessBuilder("sh", "-c", "exit 3"), Duration.ofSeconds(60)));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCommandPastItsLimitIsKilled() throws Exception {
        assertFalse(ChildProcesses.run(new ProcessBuilder("sleep", "600"), Duration.ofMillis(200)).isPresent());
        List<ProcessHandle> sleepers = ProcessHandle.current().children()
                .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false)).toList();
        sleepers.forEach(sleeper -> sleeper.onExit().join());
    }

    /** A script's own child goes with it: killing the script alone would leave its {@code sleep} to init. */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTreeIsKilledWithTheChildrenItStarted() throws Exception {
        Path pids = dir.resolve("pids");
        Process script = new ProcessBuilder("sh", "-c", "sleep 600 & echo $$ $! > " + pids + ".tmp; mv " + pids
                + ".tmp " + pids + "; wait").start();
        while (!Files.exists(pids)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a poll, not a spin: two cores are shared
        }
        String[] started = Files.readString(pids).trim().split(" ");
        assertEquals(String.valueOf(script.pid()), started[0]);
        ProcessHandle child = ProcessHandle.of(Long.parseLong(started[1])).orElseThrow();
        assertTrue(script.descendants().anyMatch(child::equals), "the sleep is the script's");

        ChildProcesses.killTree(script.toHandle());

        script.onExit().join();
        child.onExit().join();
    }
}
