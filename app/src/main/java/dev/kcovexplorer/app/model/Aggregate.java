package dev.kcovexplorer.app.model;

/**
 * Coverage totals of a function, file, directory or the whole kernel.
 *
 * @param points            coverage points (a point counts once per function/file/directory its chain names)
 * @param coveredPoints     of those, hit
 * @param lines             coverable lines (lines with at least one point)
 * @param coveredLines      of those, lines with at least one hit point (covered or partially covered)
 * @param fullyCoveredLines of those, lines whose points were all hit
 */
public record Aggregate(int points, int coveredPoints, int lines, int coveredLines, int fullyCoveredLines) {
}
