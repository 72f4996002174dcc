package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.testing.ChildProcesses;
import dev.kcovexplorer.testing.Patience;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code sample-data/vm/wait} with a process standing in for a QEMU whose guest reported its command's
 * status and then hung in its shutdown (a kernel that oopsed): the wait stops it after the power-off grace and
 * returns the command's status, instead of waiting out its timeout (seed 71's capture waited 12 minutes).
 */
class VmWaitTest {
    @TempDir
    Path dir;

    private Process guest;

    @AfterEach
    void endGuest() {
        if (guest != null) {
            guest.destroyForcibly();
        }
    }

    @Test
    void aGuestThatReportedItsStatusButDoesNotPowerOffIsStopped() throws Exception {
        guest = new ProcessBuilder("sleep", "600").start();
        Files.writeString(dir.resolve("qemu.pid"), guest.pid() + "\n");
        Files.writeString(dir.resolve("guest.log"), "agent: done: 90 connections; cut short\n");
        Files.writeString(dir.resolve("guest-exit"), "0\n");
        ProcessBuilder builder = new ProcessBuilder(DemoKernel.ROOT.resolve("sample-data/vm/wait").toString(),
                dir.toString(), "600").redirectErrorStream(true).redirectOutput(dir.resolve("wait.txt").toFile());
        builder.environment().put("KX_POWEROFF_GRACE", "1");
        OptionalInt status = ChildProcesses.run(builder, Duration.ofSeconds(120));
        String output = Files.readString(dir.resolve("wait.txt"));
        assertThat(status).as(output).hasValue(0);
        // vm/stop signals the stand-in and returns; its end reaches this process a moment later.
        assertThat(guest.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).as("the guest was stopped").isTrue();
        assertThat(output).contains("wait: the guest in " + dir + " reported its command's status but did not power"
                + " off in 1 s; stopping it", "agent: done: 90 connections; cut short");
    }
}
