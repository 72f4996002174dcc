package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/** The FX thread's worst stall as {@code --report-stalls} prints it, on Monocle's real pulses. */
class PulseWatchTest {
    private static final long BUSY_NANOS = 80_000_000;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
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

    /** Spends {@code nanos} of this thread's CPU time. */
    private static void spin(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + nanos;
        while (threads.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
    }
}
