package dev.kcovexplorer.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root launcher {@code ./kcov-explorer}, run as a user runs it, in a copy of the checkout whose jar, built as
 * far as the launcher can tell, holds no classes (the JVM starts and fails at once; the launcher's housekeeping
 * runs before it): the
 * half-written class-data archive a killed window left is removed at the next start however young it is, whichever
 * checkout it was recorded for, unless the process that writes it is alive.
 */
class LauncherCdsCleanupTest {
    @TempDir
    Path work;

    @Test
    void archivesOfDeadLaunchersAreRemovedAtTheNextStart() throws Exception {
        Path checkout = Files.createDirectories(work.resolve("checkout"));
        Path launcher = checkout.resolve("kcov-explorer");
        Files.copy(Path.of("..", "kcov-explorer"), launcher);
        launcher.toFile().setExecutable(true);
        Path jar = Files.createDirectories(checkout.resolve("app/target")).resolve("app.jar");
        try (JarOutputStream empty = new JarOutputStream(Files.newOutputStream(jar), new Manifest())) {
            empty.flush();
        }
        Files.createFile(jar.resolveSibling(LauncherBuildTest.BUILD_DONE));
        Path cache = work.resolve("cache");
        Path cds = Files.createDirectories(cache.resolve("kcov-explorer/cds"));
        String ours = "app-" + checkoutId(checkout);
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        Path killed = Files.write(cds.resolve(ours + "-1234.jsa." + dead), new byte[4096]);
        Path writing = Files.write(cds.resolve(ours + "-1234.jsa." + alive), new byte[4096]);
        // A checkout removed since (an A/B worktree) never starts again to remove its own: on the old launcher it stayed.
        Path foreign = Files.write(cds.resolve("app-1-1234.jsa." + dead), new byte[4096]);
        Path foreignWriting = Files.write(cds.resolve("app-1-1234.jsa." + alive), new byte[4096]);

        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "open", "--session", "none.kcovx")
                .redirectErrorStream(true).redirectOutput(work.resolve("out.txt").toFile());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().remove("KCOV_EXPLORER_JAVA_OPTS");
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the launcher finished").isTrue();

        String output = Files.readString(work.resolve("out.txt"));
        assertThat(killed).as("a killed window's archive, seconds old (" + output + ")").doesNotExist();
        assertThat(writing).as("the archive a live window is writing").exists();
        assertThat(foreign).as("another checkout's archive, its launcher gone").doesNotExist();
        assertThat(foreignWriting).as("the archive a live window of another checkout is writing").exists();
    }

    /** The launcher's name for a checkout: POSIX cksum of its path, computed by the machine's cksum. */
    static String checkoutId(Path checkout) throws IOException, InterruptedException {
        Process cksum = new ProcessBuilder("cksum").start();
        cksum.getOutputStream().write((checkout.toRealPath() + "\n").getBytes(StandardCharsets.UTF_8));
        cksum.getOutputStream().close();
        String out = new String(cksum.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cksum.waitFor();
        return out.split(" ")[0];
    }

    private static long deadPid() throws IOException, InterruptedException {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        return exited.pid();
    }
}
