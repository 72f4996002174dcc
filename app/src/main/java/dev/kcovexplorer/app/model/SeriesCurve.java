package dev.kcovexplorer.app.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Coverage over time of one run series in one scope: per snapshot, the points hit and the lines with a hit
 * point (covered at least partly), counted as a report of that snapshot alone would count them.
 *
 * @param series  the series' name
 * @param colour  its colour, "#rrggbb"
 * @param seconds the snapshots' times, ascending
 * @param points  hit points in scope per snapshot
 * @param lines   lines with a hit point in scope per snapshot
 * @param cut     how its campaign was cut short, or null
 */
public record SeriesCurve(String series, String colour, double[] seconds, int[] points, int[] lines, SeriesCut cut) {

    /** Walks each snapshot's hit points once: a few milliseconds for 100 snapshots of 10,000 points. */
    public static SeriesCurve of(CoverageLayout layout, RunSeries series, CoverageScope scope) {
        int n = series.size();
        double[] seconds = new double[n];
        int[] points = new int[n];
        int[] lines = new int[n];
        int[] lineStamp = new int[layout.lineCount()];
        Arrays.fill(lineStamp, -1);
        Csr pointLines = layout.pointLinesTable();
        for (int s = 0; s < n; s++) {
            seconds[s] = series.seconds(s);
            PointCoverage hit = series.snapshot(s).points();
            if (hit.pointCount() != layout.pointCount()) {
                throw new IllegalArgumentException("series '" + series.name() + "' is not on this layout's index");
            }
            for (int p = hit.nextHit(0); p >= 0; p = hit.nextHit(p + 1)) {
                if (!scope.containsPoint(layout, p)) {
                    continue;
                }
                points[s]++;
                for (int i = pointLines.start[p]; i < pointLines.start[p + 1]; i++) {
                    int line = pointLines.values[i];
                    if (lineStamp[line] != s && scope.containsLine(line)) {
                        lineStamp[line] = s;
                        lines[s]++;
                    }
                }
            }
        }
        return new SeriesCurve(series.name(), series.colour(), seconds, points, lines, series.cut());
    }

    public int size() {
        return seconds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesCurve c && c.series.equals(series) && c.colour.equals(colour)
                && Arrays.equals(c.seconds, seconds) && Arrays.equals(c.points, points) && Arrays.equals(c.lines, lines)
                && Objects.equals(c.cut, cut);
    }

    @Override
    public int hashCode() {
        return series.hashCode() * 31 + Arrays.hashCode(points);
    }

    @Override
    public String toString() {
        return series + Arrays.toString(seconds) + " points " + Arrays.toString(points) + " lines "
                + Arrays.toString(lines);
    }
}
