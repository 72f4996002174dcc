package dev.kcovexplorer.app.model;

import java.util.Arrays;
import java.util.List;

/**
 * The answers for one run or composition over one layout: the state, hit count and run count of every
 * coverable line, which functions ran, and covered/total figures per function, file and directory.
 * Computed in a few linear passes over the points with evidence ({@link #compute}); immutable after.
 */
public final class Coverage {
    private final CoverageLayout layout;
    private final PointCoverage points;
    private final byte[] lineStates;
    private final int[] lineHitPoints;
    private final long[] lineHits;
    private final int[] lineOwnHitPoints;
    private final long[] lineOwnHits;
    private final int[] lineRuns;
    private final int[] fileRuns;
    private final int[] directoryRuns;
    private final int contributorCount;
    private final boolean[] functionRan;
    private final int[] functionCoveredPoints;
    private final long[] functionHits;
    private final int[] fileCoveredPoints;
    private final int[] directoryCoveredPoints;
    private final int[][] lineTotals;

    private Coverage(CoverageLayout layout, PointCoverage points, byte[] lineStates, int[] lineHitPoints,
                     long[] lineHits, RunCounts runCounts, boolean[] functionRan, int[] functionCoveredPoints,
                     long[] functionHits, int[] fileCoveredPoints, int[] directoryCoveredPoints) {
        this.layout = layout;
        this.points = points;
        this.lineStates = lineStates;
        this.lineHitPoints = lineHitPoints;
        this.lineHits = lineHits;
        this.lineRuns = runCounts.lines();
        this.fileRuns = runCounts.files();
        this.directoryRuns = runCounts.directories();
        this.contributorCount = runCounts.contributors();
        this.functionRan = functionRan;
        this.functionCoveredPoints = functionCoveredPoints;
        this.functionHits = functionHits;
        this.fileCoveredPoints = fileCoveredPoints;
        this.directoryCoveredPoints = directoryCoveredPoints;
        this.lineTotals = lineTotals();
        this.lineOwnHitPoints = new int[lineHits.length];
        this.lineOwnHits = new long[lineHits.length];
        for (int p = points.nextHit(0); p >= 0; p = points.nextHit(p + 1)) {
            int own = layout.pointOwnLine(p);
            if (own >= 0) {
                lineOwnHitPoints[own]++;
                lineOwnHits[own] += points.hits(p);
            }
        }
    }

    /**
     * Computes the states for {@code points}; {@code contributors} are the runs whose union or
     * composition it is, and only feed "in how many runs" per line.
     */
    public static Coverage compute(CoverageLayout layout, PointCoverage points, List<PointCoverage> contributors) {
        return compute(layout, points, contributors, true);
    }

    /**
     * As above; {@code remote} says whether a contributing run was collected remotely (or may have been),
     * so that lines outside a remote section were not collected: false for local-task runs only, which
     * collect every line their task runs.
     */
    public static Coverage compute(CoverageLayout layout, PointCoverage points, List<PointCoverage> contributors,
                                   boolean remote) {
        return compute(layout, points, contributors, remote, new int[0]);
    }

    /**
     * As above; {@code sectionsRan} are functions whose remote section ran although none of their own points may
     * have been collected ({@link RemoteSections#soleOpenerCollectedBy}): they ran, so their unhit lines inside
     * the section are uncovered, not "not executed".
     */
    public static Coverage compute(CoverageLayout layout, PointCoverage points, List<PointCoverage> contributors,
                                   boolean remote, int[] sectionsRan) {
        if (points.pointCount() != layout.pointCount()) {
            throw new IllegalArgumentException("coverage of " + points.pointCount()
                    + " points does not fit an index of " + layout.pointCount());
        }
        int lineCount = layout.lineCount();
        int functionCount = layout.functionCount();
        int[] hitPoints = new int[lineCount];
        int[] evidencePoints = new int[lineCount];
        long[] lineHits = new long[lineCount];
        boolean[] ran = new boolean[functionCount];
        int[] functionCovered = new int[functionCount];
        long[] functionHits = new long[functionCount];
        int[] fileCovered = new int[layout.fileCount()];
        int[] directoryCovered = new int[layout.directoryCount()];
        Csr pointLines = layout.pointLinesTable();
        Csr pointFunctions = layout.pointFunctionsTable();
        Csr pointFiles = layout.pointFilesTable();
        int[] directoryStamp = layout.newDirectoryStamp();
        for (int p = points.nextEvidence(0); p >= 0; p = points.nextEvidence(p + 1)) {
            boolean hit = points.isHit(p);
            long hits = points.hits(p);
            for (int i = pointLines.start[p]; i < pointLines.start[p + 1]; i++) {
                int line = pointLines.values[i];
                evidencePoints[line]++;
                if (hit) {
                    hitPoints[line]++;
                    lineHits[line] += hits;
                }
            }
            for (int i = pointFunctions.start[p]; i < pointFunctions.start[p + 1]; i++) {
                int function = pointFunctions.values[i];
                ran[function] = true;
                if (hit) {
                    functionCovered[function]++;
                    functionHits[function] = Math.max(functionHits[function], hits);
                }
            }
            if (hit) {
                for (int i = pointFiles.start[p]; i < pointFiles.start[p + 1]; i++) {
                    fileCovered[pointFiles.values[i]]++;
                }
                layout.countDirectories(p, directoryCovered, directoryStamp);
            }
        }
        for (int function : sectionsRan) {
            ran[function] = true;
        }
        RunCounts runCounts = runCounts(layout, contributors);
        byte[] states = lineStates(layout, hitPoints, evidencePoints, runCounts.lines(), ran, remote);
        return new Coverage(layout, points, states, hitPoints, lineHits, runCounts, ran,
                functionCovered, functionHits, fileCovered, directoryCovered);
    }

    /**
     * A line without evidence that a contributing run hit was removed by the expression: EXCLUDED. One no
     * run hit that lies outside a remote section was not collected: OUTSIDE_REMOTE.
     */
    private static byte[] lineStates(CoverageLayout layout, int[] hitPoints, int[] evidencePoints, int[] lineRuns,
                                     boolean[] ran, boolean remote) {
        Csr lineFunctions = layout.lineFunctionsTable();
        RemoteSections sections = layout.remoteSections();
        byte[] states = new byte[hitPoints.length];
        for (int line = 0; line < states.length; line++) {
            LineState state;
            if (hitPoints[line] == layout.linePointCount(line)) {
                state = LineState.COVERED;
            } else if (evidencePoints[line] > 0) {
                state = LineState.PARTIAL;
            } else if (lineRuns[line] > 0) {
                state = LineState.EXCLUDED;
            } else if (remote && sections.isOutside(line)) {
                state = LineState.OUTSIDE_REMOTE;
            } else {
                state = LineState.NOT_EXECUTED;
                for (int i = lineFunctions.start[line]; i < lineFunctions.start[line + 1]; i++) {
                    if (ran[lineFunctions.values[i]]) {
                        state = LineState.UNCOVERED;
                        break;
                    }
                }
            }
            states[line] = (byte) state.ordinal();
        }
        return states;
    }

    /** In how many contributing runs each line, file and directory had a hit point: the heat. */
    private record RunCounts(int contributors, int[] lines, int[] files, int[] directories) {
    }

    private static RunCounts runCounts(CoverageLayout layout, List<PointCoverage> contributors) {
        int[] lines = new int[layout.lineCount()];
        int[] lineStamp = new int[layout.lineCount()];
        Arrays.fill(lineStamp, -1);
        int[] files = new int[layout.fileCount()];
        int[] fileStamp = new int[layout.fileCount()];
        Arrays.fill(fileStamp, -1);
        int[] directories = new int[layout.directoryCount()];
        int[] directoryStamp = layout.newDirectoryStamp();
        int[] parent = layout.directoryParentArray();
        Csr pointLines = layout.pointLinesTable();
        Csr pointFiles = layout.pointFilesTable();
        for (int r = 0; r < contributors.size(); r++) {
            PointCoverage run = contributors.get(r);
            for (int p = run.nextHit(0); p >= 0; p = run.nextHit(p + 1)) {
                for (int i = pointLines.start[p]; i < pointLines.start[p + 1]; i++) {
                    int line = pointLines.values[i];
                    if (lineStamp[line] != r) {
                        lineStamp[line] = r;
                        lines[line]++;
                    }
                }
                for (int i = pointFiles.start[p]; i < pointFiles.start[p + 1]; i++) {
                    int file = pointFiles.values[i];
                    if (fileStamp[file] == r) {
                        continue;
                    }
                    fileStamp[file] = r;
                    files[file]++;
                    for (int d = layout.fileDirectory(file); d >= 0 && directoryStamp[d] != r; d = parent[d]) {
                        directoryStamp[d] = r;
                        directories[d]++;
                    }
                }
            }
        }
        return new RunCounts(contributors.size(), lines, files, directories);
    }

    /** {coverable, covered, fully covered} lines per file, then per function, then per directory. */
    private int[][] lineTotals() {
        int files = layout.fileCount();
        int[] fileCovered = new int[files];
        int[] fileFull = new int[files];
        int[] lineFile = layout.lineFileArray();
        for (int line = 0; line < lineStates.length; line++) {
            if (lineHitPoints[line] > 0) {
                fileCovered[lineFile[line]]++;
                if (lineStates[line] == LineState.COVERED.ordinal()) {
                    fileFull[lineFile[line]]++;
                }
            }
        }
        int functions = layout.functionCount();
        int[] functionCovered = new int[functions];
        int[] functionFull = new int[functions];
        Csr functionLines = layout.functionLinesTable();
        for (int f = 0; f < functions; f++) {
            for (int i = functionLines.start[f]; i < functionLines.start[f + 1]; i++) {
                int line = functionLines.values[i];
                if (lineHitPoints[line] > 0) {
                    functionCovered[f]++;
                    if (lineStates[line] == LineState.COVERED.ordinal()) {
                        functionFull[f]++;
                    }
                }
            }
        }
        int[] directoryCovered = new int[layout.directoryCount()];
        int[] directoryFull = new int[layout.directoryCount()];
        int[] parent = layout.directoryParentArray();
        for (int file = 0; file < files; file++) {
            for (int d = layout.fileDirectory(file); d >= 0; d = parent[d]) {
                directoryCovered[d] += fileCovered[file];
                directoryFull[d] += fileFull[file];
            }
        }
        return new int[][] {fileCovered, fileFull, functionCovered, functionFull, directoryCovered, directoryFull};
    }

    public CoverageLayout layout() {
        return layout;
    }

    /** The resolved points this coverage was computed from. */
    public PointCoverage points() {
        return points;
    }

    public LineState lineState(int line) {
        return LineState.ofOrdinal(lineStates[line]);
    }

    /** State of {@code file}:{@code lineNumber}; NOT_INSTRUMENTED when the line has no point. */
    public LineState lineState(int file, int lineNumber) {
        int line = layout.findLine(file, lineNumber);
        return line < 0 ? LineState.NOT_INSTRUMENTED : lineState(line);
    }

    /** Trace occurrences of the line's points (the sum over its hit points). */
    public long lineHits(int line) {
        return lineHits[line];
    }

    /** How many of the contributing runs hit at least one point of the line. */
    public int lineRuns(int line) {
        return lineRuns[line];
    }

    /** How many of the contributing runs hit at least one point of the file. */
    public int fileRuns(int file) {
        return fileRuns[file];
    }

    /** How many of the contributing runs hit at least one point below the directory. */
    public int directoryRuns(int directory) {
        return directoryRuns[directory];
    }

    /** How many runs contributed: the N of a heat "k of N". */
    public int contributorCount() {
        return contributorCount;
    }

    /**
     * Trace occurrences of the line's own points ({@link CoverageLayout#pointOwnLine}): what a call line's hit
     * count shows, without the points of the callee inlined there.
     */
    public long lineOwnHits(int line) {
        return lineOwnHits[line];
    }

    /** How many of the line's own points were hit (of {@link CoverageLayout#lineOwnPointCount}). */
    public int lineOwnHitPoints(int line) {
        return lineOwnHitPoints[line];
    }

    /** How many of the line's points were hit. */
    public int lineHitPoints(int line) {
        return lineHitPoints[line];
    }

    /** The sorted line numbers of {@code file} in {@code state} (never NOT_INSTRUMENTED: those are not stored). */
    public int[] lineNumbers(int file, LineState state) {
        IntList out = new IntList(16);
        for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
            if (lineStates[line] == state.ordinal()) {
                out.add(layout.lineNumber(line));
            }
        }
        return out.toArray();
    }

    /** A point of any chain level of the function was hit, or is a candidate of a tail-call attribution. */
    public boolean functionRan(int function) {
        return functionRan[function];
    }

    /** Trace occurrences of the function's most frequently hit point. */
    public long functionHits(int function) {
        return functionHits[function];
    }

    public Aggregate function(int function) {
        return new Aggregate(layout.functionPointCount(function), functionCoveredPoints[function],
                layout.functionLineCount(function), lineTotals[2][function], lineTotals[3][function]);
    }

    public Aggregate file(int file) {
        return new Aggregate(layout.filePointCount(file), fileCoveredPoints[file], layout.fileLineCount(file),
                lineTotals[0][file], lineTotals[1][file]);
    }

    public Aggregate directory(int directory) {
        return new Aggregate(layout.directoryPointCount(directory), directoryCoveredPoints[directory],
                layout.directoryLineCount(directory), lineTotals[4][directory], lineTotals[5][directory]);
    }

    /** The whole kernel: every point, every coverable line. */
    public Aggregate total() {
        return directory(CoverageLayout.ROOT);
    }
}
