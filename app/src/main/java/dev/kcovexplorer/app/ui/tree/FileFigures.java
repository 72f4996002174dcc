package dev.kcovexplorer.app.ui.tree;

/**
 * The figures of one source file the tree shows, in the current composition: lines covered of the
 * coverable ones, points, in diff mode the points gained and lost in B, and the heat: in how many of the
 * composition's runs a point of the file was hit.
 */
public record FileFigures(String path, int coveredLines, int coverableLines, int coveredPoints, int points,
                          int gainedPoints, int lostPoints, int runs) {

    /** Figures without heat. */
    public FileFigures(String path, int coveredLines, int coverableLines, int coveredPoints, int points,
                       int gainedPoints, int lostPoints) {
        this(path, coveredLines, coverableLines, coveredPoints, points, gainedPoints, lostPoints, 0);
    }
}
