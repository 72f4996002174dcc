package dev.kcovexplorer.kcov.agent;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Log lines about refused connections, at most {@link #LINES_PER_MINUTE} a minute: a flood of bad
 * connections must not become a flood of log lines. What was held back is counted in the next line.
 */
final class ThrottledLog implements Consumer<String> {
    private static final int LINES_PER_MINUTE = 20;

    private final Consumer<String> log;
    private long windowStartNanos = System.nanoTime();
    private int linesInWindow;
    private long heldBack;

    ThrottledLog(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public synchronized void accept(String line) {
        long now = System.nanoTime();
        if (now - windowStartNanos > TimeUnit.MINUTES.toNanos(1)) {
            windowStartNanos = now;
            linesInWindow = 0;
        }
        if (linesInWindow >= LINES_PER_MINUTE) {
            heldBack++;
            return;
        }
        linesInWindow++;
        if (heldBack > 0) {
            log.accept(line + " (" + heldBack + " more refusals not logged)");
            heldBack = 0;
        } else {
            log.accept(line);
        }
    }
}
