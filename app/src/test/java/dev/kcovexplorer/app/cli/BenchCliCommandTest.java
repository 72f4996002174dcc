package dev.kcovexplorer.app.cli;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench cli}'s measuring: a child's CPU time, peak RSS and failure are what the child did, and the
 * benchmark starts every command through the launcher it is given (figures are for people, not asserted).
 */
class BenchCliCommandTest {

    @TempDir
    Path dir;

    @Test
    void aChildsCpuTimeAndPeakMemoryAreMeasured() throws Exception {
        // The shell holds 30 MB of text in a variable, then spins: both show in what the kernel accounts.
        TimedRun run = TimedRun.of(List.of("sh", "-c",
                "x=$(head -c 30000000 /dev/zero | tr '\\0' a); i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"),
                null, Map.of());
        assertThat(run.exitCode()).isZero();
        assertThat(run.error()).isEmpty();
        assertThat(run.peakRss()).isGreaterThan(30_000_000);
        assertThat(run.cpuSeconds()).isPositive();
        assertThat(run.seconds()).isPositive();
    }

    @Test
    void aFailureKeepsItsExitCodeAndFirstErrorLine() throws Exception {
        TimedRun run = TimedRun.of(List.of("sh", "-c", "echo 'kcov-explorer: no such run' >&2; echo more >&2; exit 3"),
                null, Map.of());
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.error()).isEqualTo("kcov-explorer: no such run");
    }

    @Test
    void everyCommandRunsThroughTheLauncherGiven() throws Exception {
        // A launcher that logs its arguments and fails for cmp, as the demo session (made before comparison
        // sites) makes the real one fail. Without --diff the first two PC runs are compared: the demo's second
        // run is a CMP run.
        Path log = dir.resolve("log.txt");
        Path launcher = dir.resolve("launcher");
        Files.writeString(launcher, "#!/bin/sh\necho \"$*\" >> '" + log + "'\n"
                + "[ \"$1\" = cmp ] && { echo 'kcov-explorer: made before comparison sites' >&2; exit 1; }\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));

        CliRunner.Result result = CliRunner.run("bench", "cli", "--launcher", launcher.toString(), "--session",
                DEMO.toString(), "--rounds", "2");

        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        String session = DEMO.toString();
        assertThat(Files.readAllLines(log)).containsExactly("session info " + session,
                "session info " + session, "report --session " + session + " --format lcov",
                "report --session " + session + " --format json",
                "diff --session " + session + " usb_keyboard usb_storage", "cmp --session " + session,
                "report --session " + session + " --expr no_such_run",
                "session info " + session, "report --session " + session + " --format lcov",
                "report --session " + session + " --format json",
                "diff --session " + session + " usb_keyboard usb_storage", "cmp --session " + session,
                "report --session " + session + " --expr no_such_run");
        assertThat(result.out()).contains("medians of 2 runs:").containsPattern("session info +\\d+\\.\\d\\d s")
                .contains("(exit 1: kcov-explorer: made before comparison sites)")
                .containsPattern("load average \\d+\\.\\d\\d on \\d+ cores");
    }
}
