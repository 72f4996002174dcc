package dev.kcovexplorer.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Maven logs that builds killed by a signal no trap sees left in TMPDIR, named PREFIX.PID.XXXXXX (the launcher's and
 * packaging/build's): one of a builder that is gone, one of a running builder (this JVM), and an earlier version's,
 * without a pid, two days old and new.
 */
record LeftLogs(Path tmp, String prefix, Path dead, Path running, Path oldUnowned, Path freshUnowned) {
    private static final long TWO_DAYS_MILLIS = 2 * 86_400_000L;

    static LeftLogs in(Path tmp, String prefix) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        Path dead = Files.createFile(tmp.resolve(prefix + "." + gone.pid() + ".aB3dE9"));
        Path running = Files.createFile(tmp.resolve(prefix + "." + ProcessHandle.current().pid() + ".Xy7Zw1"));
        Path oldUnowned = Files.createFile(tmp.resolve(prefix + ".Qw8Er2"));
        Files.setLastModifiedTime(oldUnowned, FileTime.fromMillis(System.currentTimeMillis() - TWO_DAYS_MILLIS));
        Path freshUnowned = Files.createFile(tmp.resolve(prefix + ".Rt5Yu6"));
        return new LeftLogs(tmp, prefix, dead, running, oldUnowned, freshUnowned);
    }

    /** After a build: the gone builder's log and the old one removed, the running builder's and the new one kept. */
    void assertSwept() throws Exception {
        assertThat(dead).as("a gone builder's log").doesNotExist();
        assertThat(oldUnowned).as("an earlier version's log, two days old").doesNotExist();
        assertThat(logs(tmp, prefix)).as("the logs left, the build's own gone too").containsExactlyInAnyOrder(running,
                freshUnowned);
    }

    /** The PREFIX.* logs in {@code tmp} (not a build lock, PREFIX-CKSUM.lock). */
    static List<Path> logs(Path tmp, String prefix) throws Exception {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix + ".")).toList();
        }
    }
}
