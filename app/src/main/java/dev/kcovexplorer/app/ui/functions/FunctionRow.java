package dev.kcovexplorer.app.ui.functions;

/**
 * One row of the Functions tool window: a function (as DWARF names it, inlined copies merged), where it
 * starts, the image it has code in ("vmlinux", a module's name, or both for a header helper inlined into
 * each), its points covered of total, how often its points were hit, and in diff mode points gained and
 * lost in B.
 */
public record FunctionRow(String name, String path, int line, int coveredPoints, int points, long hits,
                          int gainedPoints, int lostPoints, String module) {

    /** A function of the kernel image itself. */
    public FunctionRow(String name, String path, int line, int coveredPoints, int points, long hits, int gainedPoints,
                       int lostPoints) {
        this(name, path, line, coveredPoints, points, hits, gainedPoints, lostPoints, "vmlinux");
    }

    /** Covered share in percent, for sorting; the text comes from {@code Figures.percent}. */
    public double percent() {
        return points == 0 ? 0 : 100.0 * coveredPoints / points;
    }
}
