package dev.kcovexplorer.app.model;

import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.util.Arrays;

/**
 * One source file's lines and the points on each, exactly as {@link CoverageLayout#build} lays them out for that
 * file (its lines {@code fileLineStart..fileLineEnd} in order, their {@code lineNumber} and {@code pointsOfLine}),
 * found by one pass over the index's frames. The editor's comparison marks need one file's sites: the layout of all
 * 245,682 of the demo's comparison sites was 45-60 ms of CPU at every window start, for hub.c's lines alone.
 */
public final class FileLines {
    private static final byte UNSEEN = 0;
    private static final byte THIS_FILE = 1;
    private static final byte OTHER = 2;

    private final int[] numbers;
    private final Csr points;

    private FileLines(int[] numbers, Csr points) {
        this.numbers = numbers;
        this.points = points;
    }

    /**
     * The lines of {@code path} (relative, as the layouts give it) among the frames of {@code index}'s points, with
     * paths made relative by {@code paths}: a frame counts as the layout counts it, with a file name that is not
     * empty or "??" and a line above 0; a point is on each line its inline chain names, once.
     */
    public static FileLines of(KernelIndex index, PathMapper paths, String path) {
        int[] chainStart = index.rawChainStart();
        int[] rawFile = index.rawFrameFile();
        int[] rawLine = index.rawFrameLine();
        byte[] fileOf = new byte[index.stringCount()];
        long[] keys = new long[64];
        int n = 0;
        for (int p = 0; p < index.pointCount(); p++) {
            for (int f = chainStart[p]; f < chainStart[p + 1]; f++) {
                int sid = rawFile[f];
                if (fileOf[sid] == UNSEEN) {
                    fileOf[sid] = names(index.string(sid), paths, path) ? THIS_FILE : OTHER;
                }
                if (fileOf[sid] == THIS_FILE && rawLine[f] > 0) {
                    if (n == keys.length) {
                        keys = Arrays.copyOf(keys, 2 * n);
                    }
                    keys[n++] = (long) rawLine[f] << 32 | p;
                }
            }
        }
        // By line, then point; a point whose chain names a line twice is on it once.
        Arrays.sort(keys, 0, n);
        int[] numbers = new int[n];
        int[] start = new int[n + 1];
        int[] values = new int[n];
        int lines = 0;
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && keys[i] == keys[i - 1]) {
                continue;
            }
            int line = (int) (keys[i] >>> 32);
            if (lines == 0 || numbers[lines - 1] != line) {
                numbers[lines++] = line;
            }
            values[distinct++] = (int) keys[i];
            start[lines] = distinct;
        }
        return new FileLines(Arrays.copyOf(numbers, lines),
                new Csr(Arrays.copyOf(start, lines + 1), Arrays.copyOf(values, distinct)));
    }

    /** Whether a frame's file name is {@code path} once made relative: the layout's reading of file names. */
    private static boolean names(String dwarfPath, PathMapper paths, String path) {
        return CoverageLayout.namesAFile(dwarfPath) && paths.toRelative(dwarfPath).equals(path);
    }

    /** How many lines of the file have points. */
    public int lineCount() {
        return numbers.length;
    }

    /** The number of line {@code i} (0-based, ascending). */
    public int lineNumber(int i) {
        return numbers[i];
    }

    /** The points on line {@code i}, ascending. */
    public int[] pointsOfLine(int i) {
        return points.row(i);
    }
}
