package dev.kcovexplorer.app.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What B (current) reached that A (baseline) did not, and the reverse, on the same layout: a genhtml
 * category per coverable line (a line counts as hit when at least one of its points was hit), and
 * gained/lost hit points per function and file.
 */
public final class RunDiff {
    private final CoverageLayout layout;
    private final Coverage baseline;
    private final Coverage current;
    private final byte[] lineCategories;
    private final int[] functionGained;
    private final int[] functionLost;
    private final int[] fileGained;
    private final int[] fileLost;
    private final int[] directoryGained;
    private final int[] directoryLost;
    private int gainedPoints;
    private int lostPoints;

    private RunDiff(Coverage baseline, Coverage current) {
        this.layout = baseline.layout();
        this.baseline = baseline;
        this.current = current;
        this.lineCategories = new byte[layout.lineCount()];
        for (int line = 0; line < lineCategories.length; line++) {
            lineCategories[line] = (byte) DiffCategory.of(baseline.lineHitPoints(line) > 0,
                    current.lineHitPoints(line) > 0).ordinal();
        }
        this.functionGained = new int[layout.functionCount()];
        this.functionLost = new int[layout.functionCount()];
        this.fileGained = new int[layout.fileCount()];
        this.fileLost = new int[layout.fileCount()];
        this.directoryGained = new int[layout.directoryCount()];
        this.directoryLost = new int[layout.directoryCount()];
        PointCoverage a = baseline.points();
        PointCoverage b = current.points();
        Csr pointFunctions = layout.pointFunctionsTable();
        Csr pointFiles = layout.pointFilesTable();
        int[] directoryStamp = layout.newDirectoryStamp();
        for (int p = 0; p < layout.pointCount(); p++) {
            boolean inA = a.isHit(p);
            boolean inB = b.isHit(p);
            if (inA == inB) {
                continue;
            }
            if (inB) {
                gainedPoints++;
            } else {
                lostPoints++;
            }
            int[] functionDelta = inB ? functionGained : functionLost;
            int[] fileDelta = inB ? fileGained : fileLost;
            for (int i = pointFunctions.start[p]; i < pointFunctions.start[p + 1]; i++) {
                functionDelta[pointFunctions.values[i]]++;
            }
            for (int i = pointFiles.start[p]; i < pointFiles.start[p + 1]; i++) {
                fileDelta[pointFiles.values[i]]++;
            }
            int[] directoryDelta = inB ? directoryGained : directoryLost;
            layout.countDirectories(p, directoryDelta, directoryStamp);
        }
    }

    /** Diff of baseline A against current B; both must be computed on the same layout. */
    public static RunDiff of(Coverage baseline, Coverage current) {
        if (baseline.layout() != current.layout()) {
            throw new IllegalArgumentException("both sides of a diff must use the same kernel index");
        }
        return new RunDiff(baseline, current);
    }

    public CoverageLayout layout() {
        return layout;
    }

    public Coverage baseline() {
        return baseline;
    }

    public Coverage current() {
        return current;
    }

    public DiffCategory lineCategory(int line) {
        return DiffCategory.ofOrdinal(lineCategories[line]);
    }

    /** Category of {@code file}:{@code lineNumber}, or null when the line has no point. */
    public DiffCategory lineCategory(int file, int lineNumber) {
        int line = layout.findLine(file, lineNumber);
        return line < 0 ? null : lineCategory(line);
    }

    /** Sorted line numbers of a file in a category. */
    public int[] lineNumbers(int file, DiffCategory category) {
        IntList out = new IntList(16);
        for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
            if (lineCategories[line] == category.ordinal()) {
                out.add(layout.lineNumber(line));
            }
        }
        return out.toArray();
    }

    /** Points hit in B and not in A, over the whole kernel. */
    public int gainedPoints() {
        return gainedPoints;
    }

    /** Points hit in A and not in B. */
    public int lostPoints() {
        return lostPoints;
    }

    public int functionGained(int function) {
        return functionGained[function];
    }

    public int functionLost(int function) {
        return functionLost[function];
    }

    public int fileGained(int file) {
        return fileGained[file];
    }

    public int fileLost(int file) {
        return fileLost[file];
    }

    /** Distinct points gained under a directory (the root: the whole kernel). */
    public int directoryGained(int directory) {
        return directoryGained[directory];
    }

    public int directoryLost(int directory) {
        return directoryLost[directory];
    }

    /** Files whose hit points changed, largest change (gained + lost) first, then by path. */
    public List<Delta> fileDeltas() {
        List<Delta> out = new ArrayList<>();
        for (int f = 0; f < fileGained.length; f++) {
            if (fileGained[f] + fileLost[f] > 0) {
                out.add(new Delta(f, fileGained[f], fileLost[f]));
            }
        }
        out.sort(Comparator.comparingInt(Delta::change).reversed()
                .thenComparing(d -> layout.filePath(d.id())));
        return out;
    }

    /** Functions whose hit points changed, largest change first, then by file and name. */
    public List<Delta> functionDeltas() {
        List<Delta> out = new ArrayList<>();
        for (int f = 0; f < functionGained.length; f++) {
            if (functionGained[f] + functionLost[f] > 0) {
                out.add(new Delta(f, functionGained[f], functionLost[f]));
            }
        }
        out.sort(Comparator.comparingInt(Delta::change).reversed().thenComparingInt(Delta::id));
        return out;
    }

    /**
     * A changed file or function.
     *
     * @param id     file id or function id of the layout
     * @param gained points hit in B and not in A
     * @param lost   points hit in A and not in B
     */
    public record Delta(int id, int gained, int lost) {
        public int change() {
            return gained + lost;
        }
    }
}
