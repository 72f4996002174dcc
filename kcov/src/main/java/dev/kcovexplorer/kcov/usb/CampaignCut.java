package dev.kcovexplorer.kcov.usb;

/**
 * Why a campaign ended before its time, and when, if it did. Two threads tell it: the campaign's own (the kernel
 * died) and the shutdown hook's (SIGTERM), so each step is taken under the lock: a death noticed as the signal
 * came could otherwise lose its reason to the signal's text or its time to a reason that is not its own.
 */
final class CampaignCut {
    static final String SIGNAL = "stopped by a signal (SIGTERM)";

    private String reason;
    /** When the death was noticed, in seconds since the start; 0 when no death was (a signal sets no time). */
    private double deathAt;
    private boolean ranItsTime;

    /** SIGTERM: the campaign ends after the connection under way, unless it has already run its whole time. */
    synchronized void signal() {
        if (reason == null && !ranItsTime) {
            reason = SIGNAL;
        }
    }

    /** The kernel died ({@code why}), noticed at {@code seconds}: the first death is the reason, over a signal. */
    synchronized void death(String why, double seconds) {
        if (deathAt == 0) {
            reason = why;
            deathAt = seconds;
        }
    }

    /**
     * The campaign's time ran out, every snapshot due written: a signal that came during its last connection, or
     * comes during its last writes, cut nothing short. A death stays: it is what the last snapshots hold.
     */
    synchronized void ranItsTime() {
        ranItsTime = true;
        if (deathAt == 0) {
            reason = null;
        }
    }

    /** Why the campaign was cut short, or null when it was not. */
    synchronized String reason() {
        return reason;
    }

    /** When it was cut: the death's time, or {@code end} (a signal's cut is the campaign's end). */
    synchronized double at(double end) {
        return deathAt > 0 ? deathAt : end;
    }
}
