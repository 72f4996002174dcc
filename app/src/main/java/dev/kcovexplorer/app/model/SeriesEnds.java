package dev.kcovexplorer.app.model;

import java.util.Optional;

/**
 * What a diff of two run series must say beside its figures: a series' name means its latest snapshot, so when the
 * two end at different times, or one was cut short, the shorter one's loss is its end's, not its fuzzer's.
 */
public final class SeriesEnds {
    private SeriesEnds() {
    }

    /**
     * "blind ends at 180 s (cut short at 180 s: …), guided at 300 s: the diff compares their latest snapshots" when
     * {@code baseline} and {@code current} both name series of {@code session} that end apart or were cut short;
     * else null (a side that is a run, a snapshot or an expression has no end to tell).
     */
    public static String note(Session session, String baseline, String current) {
        Optional<RunSeries> a = session.series(baseline);
        Optional<RunSeries> b = session.series(current);
        if (a.isEmpty() || b.isEmpty() || baseline.equals(current)) {
            return null;
        }
        if (a.get().lastSeconds() == b.get().lastSeconds() && a.get().cut() == null && b.get().cut() == null) {
            return null;
        }
        return end(a.get(), " ends at ") + ", " + end(b.get(), " at ") + ": the diff compares their latest snapshots";
    }

    /** "NAME ends at T s (CUT)", with {@code at} between the name and the time: the second side's leaves out "ends". */
    private static String end(RunSeries series, String at) {
        return series.name() + at + SeriesPoint.formatSeconds(series.lastSeconds()) + " s"
                + (series.cut() == null ? "" : " (" + series.cut().text() + ")");
    }
}
