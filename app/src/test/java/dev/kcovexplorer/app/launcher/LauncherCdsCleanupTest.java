package dev.kcovexplorer.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.testing.ChildProcesses;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root launcher {@code ./kcov-explorer} keeps its cache of class-data archives, run as a user runs it in a copy of
 * the checkout (LauncherCheckout): the half-written archive a killed window left is removed at the next start however
 * young it is, whichever checkout it was recorded for, unless the process that writes it is alive; a recording keeps
 * the archives used last and removes the others.
 */
class LauncherCdsCleanupTest {
    /** The user nobody, and its group, on Debian: whoever it is, a user other than root's. */
    private static final int NOBODY = 65534;

    @TempDir
    Path work;

    @Test
    void archivesOfDeadLaunchersAreRemovedAtTheNextStart() throws Exception {
        Path launcher = LauncherCheckout.built(work.resolve("checkout"));
        Path checkout = launcher.getParent();
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

        String output = start(launcher, cache, List.of(), "open", "--session", "none.kcovx").output();
        assertThat(killed).as("a killed window's archive, seconds old (" + output + ")").doesNotExist();
        assertThat(writing).as("the archive a live window is writing").exists();
        assertThat(foreign).as("another checkout's archive, its launcher gone").doesNotExist();
        assertThat(foreignWriting).as("the archive a live window of another checkout is writing").exists();
    }

    /**
     * The temp a live launcher of another user writes is kept: sudo keeping this HOME records into this cache as root,
     * and kill -0 fails with EPERM for a process of another user, which the old launcher took for dead (the temp was
     * removed under the JVM writing it). The launcher here runs as a user who may not signal the writer: as nobody
     * beside this JVM when the tests run as root (who may signal anyone), else beside a process of another user.
     */
    @Test
    void theArchiveALiveLauncherOfAnotherUserWritesIsKept() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asOtherUser = List.of();
        long writer;
        if (root) {
            Requirements.tools("setpriv");
            asOtherUser = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");
            writer = ProcessHandle.current().pid();
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
            String me = System.getProperty("user.name");
            Optional<ProcessHandle> others = ProcessHandle.allProcesses()
                    .filter(process -> process.info().user().filter(user -> !user.equals(me)).isPresent()).findFirst();
            assumeTrue(others.isPresent(), "no process of another user runs here");
            writer = others.get().pid();
        }
        Path launcher = LauncherCheckout.built(work.resolve("checkout"));
        Path cache = work.resolve("cache");
        Path cds = Files.createDirectories(cache.resolve("kcov-explorer/cds"));
        if (root) {
            for (Path owned : List.of(cache, cds.getParent(), cds)) {
                Files.setAttribute(owned, "unix:uid", NOBODY);
            }
        }
        Path writing = Files.write(cds.resolve("app-1-1234-5678.jsa." + writer), new byte[4096]);

        Run run = start(launcher, cache, asOtherUser, "info", "x.kcov");
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(writing).as("the archive a live launcher of another user writes").exists();
    }

    /**
     * A recording keeps the archives used last, at most 12, and removes the others: on the old launcher every archive
     * stayed (42, 1.4 GB after a day of A/B worktrees). An archive recorded long ago but mapped since counts as used
     * then. Here: this checkout's info archive, recorded before all the others and mapped once after them, 14 archives
     * of other checkouts used one a day, and the temp a live launcher writes; symbolize records its own archive.
     */
    @Test
    void aRecordingKeepsTheTwelveArchivesUsedLastAndRemovesTheOthers() throws Exception {
        Path launcher = LauncherCheckout.built(work.resolve("checkout"));
        Path cache = work.resolve("cache");
        Path cds = cache.resolve("kcov-explorer/cds");
        assertThat(start(launcher, cache, List.of(), "info", "x.kcov").status()).isZero();
        List<Path> recorded = archives(cds);
        assertThat(recorded).as("info's archive").hasSize(1);
        Path info = recorded.get(0);

        Instant now = Instant.now();
        Files.setLastModifiedTime(info, FileTime.from(now.minus(Duration.ofDays(30))));
        List<Path> others = new ArrayList<>();
        for (int day = 1; day <= 14; day++) {
            Path other = Files.write(cds.resolve("app-" + day + "-1234-5678.jsa"), new byte[4096]);
            Files.setLastModifiedTime(other, FileTime.from(now.minus(Duration.ofDays(day))));
            others.add(other);
        }
        Path writing = Files.write(cds.resolve("app-99-1234-5678.jsa." + ProcessHandle.current().pid()),
                new byte[4096]);

        Run mapping = start(launcher, cache, List.of(), "info", "x.kcov");
        assertThat(mapping.output()).as("info maps its archive").contains("-XX:SharedArchiveFile=" + info);
        assertThat(start(launcher, cache, List.of(), "symbolize", "x.kcov").status()).isZero();

        List<Path> kept = archives(cds);
        assertThat(kept).as("the archives after symbolize recorded its own").hasSize(12)
                .contains(info).containsAll(others.subList(0, 10)).doesNotContainAnyElementsOf(others.subList(10, 14));
        assertThat(writing).as("the archive a live launcher writes").exists();
    }

    private static List<Path> archives(Path cds) throws IOException {
        try (Stream<Path> files = Files.list(cds)) {
            return files.filter(file -> file.toString().endsWith(".jsa")).sorted().toList();
        }
    }

    private record Run(int status, String output) {
    }

    /**
     * Runs the launcher with ARGS, its cache in CACHE, the JDK of these tests first on its PATH and no Java options of
     * the environment, started by the command PREFIX (another user's, say); its status and output.
     */
    private Run start(Path launcher, Path cache, List<String> prefix, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().remove("KCOV_EXPLORER_JAVA_OPTS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv("PATH"));
        OptionalInt status = ChildProcesses.run(builder, Duration.ofSeconds(120));
        String output = Files.readString(out);
        assertThat(status).as("the launcher finished: " + output).isPresent();
        return new Run(status.getAsInt(), output);
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
