package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.task.AfterPulses;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Consumer;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import javafx.animation.AnimationTimer;

/**
 * Sees every pulse of the FX thread and keeps the longest gap between two, in wall time and in FX-thread
 * CPU time: on a busy machine a wall gap is mostly the FX thread waiting for a core, while its CPU time is
 * the work that held it. Start and stop it on the FX thread. Used by {@code open --report-stalls} and the
 * window tests.
 */
public final class PulseWatch extends AnimationTimer {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long last;
    private long lastCpu;
    private long worst;
    private long worstCpu;

    /** The longest gap between two pulses. */
    public record Stall(long wallMillis, long cpuMillis) {
        @Override
        public String toString() {
            return wallMillis + " ms (" + cpuMillis + " ms of FX-thread CPU)";
        }
    }

    /** Watches from now: the time until the first pulse counts as a gap too. */
    public static PulseWatch begin() {
        PulseWatch watch = new PulseWatch();
        watch.last = System.nanoTime(); // the clock of the pulses' timestamps
        watch.lastCpu = watch.threads.getCurrentThreadCpuTime();
        watch.start();
        return watch;
    }

    @Override
    public void handle(long now) {
        gap(now, threads.getCurrentThreadCpuTime());
    }

    private void gap(long now, long cpu) {
        worst = Math.max(worst, now - last);
        worstCpu = Math.max(worstCpu, cpu - lastCpu);
        last = now;
        lastCpu = cpu;
    }

    /**
     * Finishes once no task of {@code tasks} runs (the unwaited ones included: their results reach the FX thread
     * like any other) and {@code pulses} pulses have passed since with none running, then hands the worst gap to
     * {@code report}. Those pulses lay out what the last results changed: a start's heaviest pulse can be the one
     * after its last task.
     */
    public void finishWhenQuiet(BackgroundTasks tasks, int pulses, Consumer<Stall> report) {
        tasks.whenIdle(() -> AfterPulses.after(pulses, () -> {
            if (tasks.busyProperty().get()) {
                finishWhenQuiet(tasks, pulses, report);
            } else {
                report.accept(finish());
            }
        }));
    }

    /**
     * Stops watching; the worst gap seen, the one in progress included: the FX thread's work since the last pulse
     * (a pulse's layout, what ran after it, the caller's own) is as much a stall as any gap that another pulse ended.
     */
    public Stall finish() {
        stop();
        gap(System.nanoTime(), threads.getCurrentThreadCpuTime());
        return new Stall(worst / 1_000_000, worstCpu / 1_000_000);
    }
}
