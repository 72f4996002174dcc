package dev.kcovexplorer.app.model;

/**
 * How the campaign a run series came from was cut short: the kernel oopsed, the bus stopped answering, a signal,
 * or it has not finished (still running, or killed). Its curve stops early or goes flat for a reason that is not the fuzzer's, so it
 * must not pass for a shorter complete campaign wherever the series is shown.
 *
 * @param at   the seconds at which the cut came
 * @param text what to tell: "cut short at 71.3 s: the kernel oopsed (dmesg: …)"
 */
public record SeriesCut(double at, String text) {
    public SeriesCut {
        if (!(at >= 0) || Double.isInfinite(at)) {
            throw new IllegalArgumentException("a cut's time must be seconds >= 0, not " + at);
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a cut needs a text that says why");
        }
    }
}
