package dev.kcovexplorer.app.ui.tree;

/**
 * The figures of one source file the tree shows, in the current composition: lines covered of the
 * coverable ones, points, and in diff mode the points gained and lost in B.
 */
public record FileFigures(String path, int coveredLines, int coverableLines, int coveredPoints, int points,
                          int gainedPoints, int lostPoints) {
}
