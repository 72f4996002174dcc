package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutSource;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One-shot capture: collects for a while, from this machine's kcov or from an agent, then writes one
 * kcov area dump and beside it ({@code OUT.layout}) where the kernel had its modules loaded when the
 * recording ended, so PCs in modules can be symbolized later. {@link #finishAndAwaitDump()} (SIGTERM,
 * Ctrl-C) ends the collection early and still writes both.
 */
final class Recorder {
    private final CollectionPlan plan;
    private final long durationMillis;
    private final Consumer<String> log;
    private final CountDownLatch finish = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final WordBuffer words = new WordBuffer();
    private final AtomicLong overflows = new AtomicLong();

    Recorder(CollectionPlan plan, long durationMillis, Consumer<String> log) {
        this.plan = plan;
        this.durationMillis = durationMillis;
        this.log = log;
    }

    /** Ends the collection now and waits (30 s at most) until the dump is written or the recording failed. */
    void finishAndAwaitDump() {
        finish.countDown();
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The recording is over, written or failed. */
    void done() {
        done.countDown();
    }

    /** Records from this machine's kcov, optionally running the vhost-net workload meanwhile. */
    void recordLocal(KcovCoverageSource source, boolean exerciseVhostNet, Path out) throws Exception {
        source.start(plan);
        log.accept("recording " + plan.summary() + " for " + durationMillis / 1000.0 + " s");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMillis);
        VhostNetWorkload workload = null;
        try {
            workload = exerciseVhostNet ? VhostNetWorkload.start(source) : null;
            while (!finish.await(Math.min(plan.periodMillis(), remainingMillis(deadline)), TimeUnit.MILLISECONDS)
                    && remainingMillis(deadline) > 0) {
                add(source.drain());
            }
        } finally {
            try {
                if (workload != null) {
                    log.accept(workload.finish());
                }
            } finally {
                add(source.stop());
            }
        }
        write(out);
        recordLayout(source::moduleLayout, "this machine's /sys/module", out);
    }

    /** Records through an agent at {@code host:port}. */
    void recordRemote(String host, int port, String token, Path out) throws IOException, InterruptedException {
        AgentClient.Listener listener = batch -> {
            words.append(batch.words());
            if (batch.overflow()) {
                overflows.incrementAndGet();
            }
        };
        try (AgentClient agent = AgentClient.connect(host, port, token, 0, listener)) {
            agent.start(plan);
            log.accept("recording " + plan.summary() + " through the agent at " + host + ":" + port + " for "
                    + durationMillis / 1000.0 + " s");
            finish.await(durationMillis, TimeUnit.MILLISECONDS);
            agent.stop();
            write(out);
            recordLayout(agent::moduleLayout, "/sys/module of the agent at " + host + ":" + port, out);
        }
    }

    /**
     * Writes the module layout beside the dump, or says why there is none; a layout left from an earlier
     * recording to the same name never stays beside the new dump, where it would place its modules wrongly.
     */
    private void recordLayout(ModuleLayoutSource source, String origin, Path out) {
        Path file = ModuleLayoutWriter.besideDump(out);
        try {
            ModuleLayout layout = source.read();
            if (layout.isEmpty()) {
                removeStale(file);
                log.accept("no module is loaded: no module layout to record");
                return;
            }
            ModuleLayoutWriter.write(layout, origin, file);
            log.accept("wrote the layout of " + layout.modules().size() + " modules to " + file);
            layout.warnings().forEach(warning -> log.accept("warning: " + warning));
        } catch (IOException | RuntimeException e) {
            removeStale(file);
            log.accept("warning: no module layout recorded (" + e.getMessage() + "): PCs in modules in this dump"
                    + " cannot be symbolized");
        }
    }

    private void removeStale(Path file) {
        try {
            if (Files.deleteIfExists(file)) {
                log.accept("removed " + file + ", left from an earlier recording");
            }
        } catch (IOException e) {
            log.accept("warning: " + file + " is left from an earlier recording and cannot be removed ("
                    + e.getMessage() + "): delete it, it does not belong to this dump");
        }
    }

    private void add(CoverageChunk chunk) {
        words.append(chunk.words());
        if (chunk.overflow()) {
            overflows.incrementAndGet();
        }
    }

    private void write(Path out) throws IOException {
        AreaDumpWriter.write(out, plan.mode(), words.array(), words.size(), overflows.get() > 0);
        int entries = words.size() / plan.mode().wordsPerEntry();
        String what = plan.mode() == TraceMode.PC
                ? entries + " PCs (" + words.distinct() + " unique)"
                : entries + " comparison records";
        log.accept("wrote " + what + " to " + out);
        if (overflows.get() > 0) {
            log.accept("warning: the kcov area overflowed " + overflows.get()
                    + " times and the kernel dropped coverage; record with a larger --area-words");
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
