package dev.kcovexplorer.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root launcher {@code ./kcov-explorer} builds until a build has finished, not merely until app.jar exists:
 * Maven writes the jar before it copies the libraries, so a build killed in between leaves a jar newer than every
 * source (seen on a new user's first run: a 0-byte app.jar and no lib folder, and every later start failed with
 * "Could not find or load main class").
 */
class LauncherBuildTest {
    /** The mark a finished build leaves beside app.jar. */
    static final String BUILD_DONE = "launcher-build.done";

    @TempDir
    Path work;

    /**
     * A copy of the launcher beside what a killed build left and no sources: it builds again, and as there is no
     * reactor to build here, Maven fails and the launcher says so.
     */
    @Test
    void aJarLeftByAKilledBuildIsBuiltAgain() throws Exception {
        Path checkout = Files.createDirectories(work.resolve("checkout"));
        Path launcher = checkout.resolve("kcov-explorer");
        Files.copy(Path.of("..", "kcov-explorer"), launcher);
        launcher.toFile().setExecutable(true);
        Files.createFile(Files.createDirectories(checkout.resolve("app/target")).resolve("app.jar"));

        Path out = work.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        builder.environment().remove("KCOV_EXPLORER_JAVA_OPTS");
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the launcher finished").isTrue();

        String output = Files.readString(out);
        assertThat(output).as("the launcher's output").contains("kcov-explorer: building")
                .contains("kcov-explorer: build failed").doesNotContain("Could not find or load main class");
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(checkout.resolve("app/target").resolve(BUILD_DONE)).as("no build finished").doesNotExist();
    }
}
