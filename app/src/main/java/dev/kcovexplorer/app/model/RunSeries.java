package dev.kcovexplorer.app.model;

import java.util.List;

/**
 * A run series: the snapshots of one fuzzing campaign (or a directory of syzkaller rawcover files), each a
 * run of the session, ordered by time. The latest snapshot is the series' coverage unless another is picked.
 *
 * @param name      what the series is called; in expressions it means its latest snapshot
 * @param colour    the colour its snapshots share, "#rrggbb"
 * @param snapshots the runs, by ascending {@link SeriesPoint#seconds()}; never empty
 */
public record RunSeries(String name, String colour, List<SessionRun> snapshots) {
    public RunSeries {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("series '" + name + "' has no snapshots");
        }
        snapshots = List.copyOf(snapshots);
    }

    public int size() {
        return snapshots.size();
    }

    public SessionRun snapshot(int i) {
        return snapshots.get(i);
    }

    public SessionRun latest() {
        return snapshots.get(snapshots.size() - 1);
    }

    /** Seconds since the campaign started at which snapshot {@code i} was taken. */
    public double seconds(int i) {
        return snapshots.get(i).seriesPoint().seconds();
    }

    /**
     * How its campaign was cut short, or null: the latest snapshot's (every snapshot of a campaign read from its
     * directory or a session carries the same).
     */
    public SeriesCut cut() {
        return latest().seriesCut();
    }

    /** Seconds since the campaign started of the latest snapshot: where its curve ends. */
    public double lastSeconds() {
        return seconds(snapshots.size() - 1);
    }

    /** The position of the snapshot labelled {@code label}, or -1. */
    public int indexOf(String label) {
        for (int i = 0; i < snapshots.size(); i++) {
            if (snapshots.get(i).label().equals(label)) {
                return i;
            }
        }
        return -1;
    }
}
