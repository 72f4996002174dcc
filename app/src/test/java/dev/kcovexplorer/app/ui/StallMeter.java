package dev.kcovexplorer.app.ui;

import javafx.animation.AnimationTimer;

/**
 * Sees every pulse of the FX thread and keeps the longest gap between two, in wall time and in FX-thread
 * CPU time (on a busy machine a wall gap is mostly waiting for a core). Start and stop it on the FX thread.
 */
final class StallMeter extends AnimationTimer {
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private long last;
    private long lastCpu;
    private long worst;
    private long worstCpu;

    static StallMeter begin() {
        StallMeter meter = new StallMeter();
        meter.start();
        return meter;
    }

    @Override
    public void handle(long now) {
        long cpu = threads.getCurrentThreadCpuTime();
        if (last != 0) {
            worst = Math.max(worst, now - last);
            worstCpu = Math.max(worstCpu, cpu - lastCpu);
        }
        last = now;
        lastCpu = cpu;
    }

    /** Stops and returns {wall ms, FX-thread CPU ms} of the worst gap. */
    long[] stopMeter() {
        super.stop();
        return new long[] {worst / 1_000_000, worstCpu / 1_000_000};
    }
}
