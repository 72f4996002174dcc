package dev.kcovexplorer.app.model;

/**
 * Where a run sits in a run series (a fuzzing campaign): the series' name and the seconds since the campaign
 * started at which the snapshot was taken.
 */
public record SeriesPoint(String series, double seconds) {
    public SeriesPoint {
        if (series == null || series.isBlank()) {
            throw new IllegalArgumentException("a series needs a name");
        }
        if (series.contains("@")) {
            throw new IllegalArgumentException("a series name cannot hold '@' (it separates name and time in"
                    + " snapshot labels): '" + series + "'");
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("series '" + series + "': a snapshot's time must be seconds >= 0, not "
                    + seconds);
        }
    }

    /** The run label of this snapshot: {@code guided@300s}, {@code guided@2.5s}. */
    public String label() {
        return series + "@" + formatSeconds(seconds) + "s";
    }

    /** 300 → "300", 2.5 → "2.5": whole seconds without a fraction. */
    public static String formatSeconds(double seconds) {
        if (seconds == Math.rint(seconds) && seconds < 1e15) {
            return Long.toString((long) seconds);
        }
        return Double.toString(seconds);
    }
}
