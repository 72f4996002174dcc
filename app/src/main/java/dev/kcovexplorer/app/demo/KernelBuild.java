package dev.kcovexplorer.app.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Build demo kernel…": runs {@code sample-data/kernel/build} (about 15 minutes on 2 cores), turns its
 * {@code build: …} lines into a progress fraction and a stage, keeps its log, and cancels by ending the
 * whole process tree (make and its compilers). The build resumes where a cancelled one stopped.
 */
public final class KernelBuild {
    static final int KEPT_LINES = 400;
    /** How long a cancelled build has to end on SIGTERM before it is killed. */
    static final int GRACE_SECONDS = 5;
    private static final Pattern COMPILED = Pattern.compile("^build: compiled (\\d+) of about (\\d+) objects");

    /** How far the build is: 0 to 1, and in words. */
    public record Progress(double fraction, String stage) {
        static final Progress STARTING = new Progress(0, "starting");
    }

    /** What a build tells its window; calls come from the build's reader thread. */
    public interface Listener {
        void line(String line, Progress progress);

        /** The build ended: {@code ok}, or why not (cancelled, or its last lines). */
        void finished(boolean ok, String message);
    }

    private final Process process;
    private final Deque<String> last = new ArrayDeque<>();
    private volatile boolean cancelled;

    private KernelBuild(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code repository/sample-data/kernel/build} with {@code environment} added to this program's
     * (KERNEL_DIR to build elsewhere).
     */
    public static KernelBuild start(Path repository, Map<String, String> environment, Listener listener)
            throws IOException {
        Path script = repository == null ? null : repository.resolve("sample-data/kernel/build");
        if (script == null || !Files.isExecutable(script)) {
            throw new IOException("sample-data/kernel/build is not here: build the demo kernel from a KCOV Explorer "
                    + "checkout");
        }
        ProcessBuilder builder = new ProcessBuilder(script.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        KernelBuild build = new KernelBuild(builder.start());
        VmReaper.register(build.process);
        Thread reader = new Thread(() -> build.read(listener), "kernel-build");
        reader.setDaemon(true);
        reader.start();
        return build;
    }

    private void read(Listener listener) {
        Progress progress = Progress.STARTING;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                progress = advance(progress, line);
                remember(line);
                listener.line(line, progress);
            }
        } catch (IOException e) {
            // the build's output ended with the build
        }
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        if (cancelled) {
            listener.finished(false, "cancelled; Build demo kernel\u2026 resumes where it stopped");
        } else if (status == 0) {
            listener.finished(true, "the demo kernel is built");
        } else {
            listener.finished(false, "the build failed (status " + status + "): " + String.join("\n", lastLines(8)));
        }
    }

    /** The progress after {@code line}: each of the script's {@code build:} lines moves it on. */
    static Progress advance(Progress previous, String line) {
        Matcher compiled = COMPILED.matcher(line);
        if (compiled.find()) {
            long done = Long.parseLong(compiled.group(1));
            long total = Math.max(1, Long.parseLong(compiled.group(2)));
            double share = Math.min(0.99, (double) done / total);
            return new Progress(0.05 + 0.9 * share, "compiling: " + done + " of about " + total + " objects");
        }
        if (line.startsWith("build: kernel up to date") || line.startsWith("build: kernel ready")) {
            return new Progress(1, "done");
        }
        if (line.startsWith("build: unpacking")) {
            return new Progress(0.01, "unpacking linux-source");
        }
        if (line.startsWith("build: compiling") || line.startsWith("build: about ")) {
            return new Progress(Math.max(previous.fraction(), 0.05), "compiling");
        }
        if (line.startsWith("build: compiled in")) {
            return new Progress(0.97, "copying the kernel");
        }
        return previous;
    }

    private synchronized void remember(String line) {
        last.addLast(line);
        if (last.size() > KEPT_LINES) {
            last.removeFirst();
        }
    }

    private synchronized List<String> lastLines(int count) {
        List<String> all = List.copyOf(last);
        return all.subList(Math.max(0, all.size() - count), all.size());
    }

    /**
     * Ends the build and everything it started; {@link Listener#finished} says so. Returns at once: the build gets
     * {@link #GRACE_SECONDS} to end on SIGTERM before it and what it started are killed, and nobody waits through that
     * grace. The caller is the Demo VM window's Cancel button, on the FX thread, which waited up to the whole grace.
     */
    public void cancel() {
        cancelled = true;
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        process.onExit().completeOnTimeout(process, GRACE_SECONDS, TimeUnit.SECONDS).thenRun(() -> {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
        });
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Waits up to {@code millis} for the build to end; true when it did. */
    public boolean await(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }
}
