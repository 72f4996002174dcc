package dev.kcovexplorer.app.model;

/**
 * How the campaign a run series came from was cut short: the kernel oopsed, the bus stopped answering, a signal,
 * or it has not finished (still running, or killed). Its curve stops early or goes flat for a reason that is not the
 * fuzzer's, so it must not pass for a shorter complete campaign wherever the series is shown.
 *
 * @param at     the seconds at which the cut came
 * @param reason why: "the kernel oopsed (dmesg: …)", as the campaign's manifest says it
 */
public record SeriesCut(double at, String reason) {
    public SeriesCut {
        if (!(at >= 0) || Double.isInfinite(at)) {
            throw new IllegalArgumentException("a cut's time must be seconds >= 0, not " + at);
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a cut needs a reason that says why");
        }
    }

    /** "cut short at 71.3 s": the time as every view of the series says it, from {@link #at} alone. */
    public String when() {
        return "cut short at " + SeriesPoint.formatSeconds(at) + " s";
    }

    /**
     * "cut short at 71.3 s: the kernel oopsed (dmesg: …)", what the CLI and the window tell: made from {@link #at},
     * never kept beside it, so the time in the text is the time the legend and the JSON give.
     */
    public String text() {
        return when() + ": " + reason;
    }
}
