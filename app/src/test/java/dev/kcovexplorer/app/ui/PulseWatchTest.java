package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.testing.Patience;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The FX thread's worst stall as {@code --report-stalls} prints it, on Monocle's real pulses. */
class PulseWatchTest {
    private static final long BUSY_NANOS = 80_000_000;

    @RegisterExtension
    final ShownStages stages = new ShownStages();
    private final BackgroundTasks tasks = BackgroundTasks.onFxThread();

    @AfterEach
    void closeTasks() {
        tasks.close();
    }

    @Test
    void aStallStillInProgressWhenTheWatchFinishesCounts() throws Exception {
        PulseWatch watch = onFx(PulseWatch::begin);
        // Busy on the FX thread, then finished in the same call: no pulse has ended the gap yet.
        PulseWatch.Stall stall = onFx(() -> {
            spin(BUSY_NANOS);
            return watch.finish();
        });
        assertThat(stall.cpuMillis()).as("the FX thread's CPU spent since the last pulse")
                .isGreaterThanOrEqualTo(BUSY_NANOS / 1_000_000);
        assertThat(stall.wallMillis()).isGreaterThanOrEqualTo(stall.cpuMillis());
    }

    @Test
    void theResultOfATaskNobodyWaitedForCounts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<PulseWatch.Stall> reported = new CompletableFuture<>();
        onFx(() -> {
            PulseWatch watch = PulseWatch.begin();
            // Unwaited, as a start's sources are unpacked: its result reaches the FX thread after the view shows.
            tasks.submitUnwaited("Unpacking", progress -> {
                release.await();
                return null;
            }, unpacked -> spin(BUSY_NANOS));
            watch.finishWhenQuiet(tasks, 3, reported::complete);
            return null;
        });
        // Released well after the pulses the watch waits once the tasks it waits for are done.
        for (int i = 0; i < 10; i++) {
            Pulses.awaitNext();
        }
        release.countDown();
        PulseWatch.Stall stall = reported.get(Patience.SECONDS, TimeUnit.SECONDS);
        assertThat(stall.cpuMillis()).as("the FX thread's CPU in the task's result").isGreaterThanOrEqualTo(BUSY_NANOS / 1_000_000);
    }

    @Test
    void theLayoutOfTheLastTasksResultCounts() throws Exception {
        Pane shown = stages.showInPrimary(Pane::new, 200, 100);
        CompletableFuture<PulseWatch.Stall> reported = new CompletableFuture<>();
        onFx(() -> {
            PulseWatch watch = PulseWatch.begin();
            // The result only adds a node: its work is done by the next pulse's layout, after the last task.
            tasks.submit("Opening", progress -> null, opened -> shown.getChildren().add(new Region() {
                @Override
                protected void layoutChildren() {
                    spin(BUSY_NANOS);
                }
            }));
            watch.finishWhenQuiet(tasks, 3, reported::complete);
            return null;
        });
        PulseWatch.Stall stall = reported.get(Patience.SECONDS, TimeUnit.SECONDS);
        assertThat(stall.cpuMillis()).as("the FX thread's CPU in the pulse laying out the result")
                .isGreaterThanOrEqualTo(BUSY_NANOS / 1_000_000);
    }

    /** Spends {@code nanos} of this thread's CPU time. */
    private static void spin(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + nanos;
        while (threads.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
    }
}
