package dev.kcovexplorer.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A test's child process, run to its end or to a limit and killed with everything it started on every way out: a
 * test that gives up on a script (its time assertion, an exception, an interrupt) must not leave it, or the build,
 * QEMU or sleep it started, running on a machine that other tests and builds share.
 */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * Starts {@code builder}'s command and waits for it at most {@code limit}: its exit status, or empty when it had
     * not ended by then. Whichever way this returns, the process and its descendants are killed.
     */
    public static OptionalInt run(ProcessBuilder builder, Duration limit) throws IOException, InterruptedException {
        Process process = builder.start();
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue())
                    : OptionalInt.empty();
        } finally {
            killTree(process.toHandle());
        }
    }

    /**
     * Kills {@code process} and its descendants. The descendants are listed first: once their parent is dead they
     * belong to init and are no longer its descendants; it is killed before them so that it starts no more.
     */
    public static void killTree(ProcessHandle process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
