package dev.kcovexplorer.app.cli;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.Main;
import dev.kcovexplorer.app.model.session.SessionFiles;
import dev.kcovexplorer.testing.ChildProcesses;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A window-scale run that cannot do its steps says why and fails: figures cut short must not pass for a result. */
class BenchWindowScaleCommandTest {

    @Test
    void tooFewSyntheticRunsForTheExpressionAreRefusedBeforeTheWindow() {
        CliRunner.Result result = CliRunner.run("bench", "window-scale", "--points", "2000", "--runs", "3", "--pcs", "100");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip())
                .isEqualTo("kcov-explorer: --runs: at least 4, for the expression (run1 | run2) & run3 - run4");
    }

    /**
     * In a JVM of its own: the toolkit starts once per process. The window's temporary settings folder goes with it,
     * even from a run that failed.
     */
    @Test
    void aSessionThatDoesNotLoadFailsTheRunInOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path unloadable = SessionFiles.withUnreadableIndex(DEMO, dir.resolve("unloadable.kcovx"));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "bench", "window-scale", "--session",
                unloadable.toString()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        builder.environment().remove("DISPLAY");
        OptionalInt status = ChildProcesses.run(builder, Duration.ofSeconds(180));
        if (status.isEmpty()) {
            throw new AssertionError("bench window-scale did not finish in 180 s: " + Files.readString(err));
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(status.getAsInt()).as(stderr).isEqualTo(1);
        assertThat(stderr.lines().filter(l -> !l.isBlank() && !l.contains("JavaFX configuration")
                && !l.contains("PlatformImpl")).toList()).as(stderr).singleElement().asString()
                .startsWith("kcov-explorer: Loading: ").contains(unloadable.toString());
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).as("no step timed after the failure")
                .doesNotContain("compose").doesNotContain("memory:");
        try (var left = Files.list(tmp)) {
            assertThat(left).as("left in the temporary directory").isEmpty();
        }
    }
}
