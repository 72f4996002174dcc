package dev.kcovexplorer.app.model;

import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the model precomputes once per kernel index so that recomputing a run is a few linear passes:
 * source files (relative paths, sorted), their directories, coverable lines, functions, and the
 * point → line / function / file / directory tables, all in primitive arrays.
 *
 * <p>A <b>line</b> is a (file, line number) pair that at least one frame of some point's inline chain
 * names; a point belongs to every line its chain names (inlined header code counts for the header line
 * and for the call site). A <b>function</b> is a (function name, file) pair at one level of an inline
 * chain: {@code hub_event} in {@code drivers/usb/core/hub.c}, or a {@code static inline} helper in the
 * header that defines it. So an inlined header function has one state of its own, merged over all the
 * places it was inlined into, and "the function ran" means some point of any of its chain levels ran.
 * Frames without a file (no line info) count for no line and no function.
 *
 * <p>Ids are dense ints: files sorted by path; lines sorted by file, then line number, so a file's lines
 * are the contiguous range {@link #fileLineStart}..{@link #fileLineEnd}; functions sorted by file, first
 * line and name; directory 0 is the root (path "").
 */
public final class CoverageLayout {
    public static final int ROOT = 0;

    private final KernelIndex index;
    private final PathMapper paths;
    private final String[] filePaths;
    private final int[] fileDirectory;
    private final int[] fileLineStart;
    private final int[] fileFunctionStart;
    private final int[] lineFile;
    private final int[] lineNumber;
    private final Csr pointLines;
    private final Csr linePoints;
    private final int[] pointOwnLine;
    private final int[] lineOwnPointCount;
    private final Csr pointFunctions;
    private final int[] functionPointCount;
    private final int[] functionNameId;
    private final int[] functionFile;
    private final int[] functionFirstLine;
    private final Csr lineFunctions;
    private final Csr functionLines;
    private final Csr pointFiles;
    private final int[] filePointCount;
    private final int[] directoryPointCount;
    private final String[] directoryPaths;
    private final int[] directoryParent;
    private final Csr directoryChildren;
    private final Csr directoryFiles;
    private final int[] directoryLineCount;
    private final RemoteSections remoteSections;

    private CoverageLayout(KernelIndex index, PathMapper paths, Builder b) {
        this.index = index;
        this.paths = paths;
        this.filePaths = b.filePaths;
        this.fileDirectory = b.fileDirectory;
        this.fileLineStart = b.fileLineStart;
        this.fileFunctionStart = b.fileFunctionStart;
        this.lineFile = b.lineFile;
        this.lineNumber = b.lineNumber;
        this.pointLines = b.pointLines;
        this.linePoints = b.pointLines.invert(b.lineFile.length);
        this.pointOwnLine = b.pointOwnLine;
        this.lineOwnPointCount = new int[b.lineFile.length];
        for (int line : pointOwnLine) {
            if (line >= 0) {
                lineOwnPointCount[line]++;
            }
        }
        this.pointFunctions = b.pointFunctions;
        this.functionPointCount = occurrences(b.pointFunctions, b.functionFile.length);
        this.functionNameId = b.functionNameId;
        this.functionFile = b.functionFile;
        this.functionFirstLine = b.functionFirstLine;
        this.lineFunctions = b.lineFunctions;
        this.functionLines = b.functionLines;
        this.pointFiles = b.pointFiles;
        this.filePointCount = occurrences(b.pointFiles, b.filePaths.length);
        this.directoryPaths = b.directoryPaths;
        this.directoryParent = b.directoryParent;
        this.directoryChildren = b.directoryChildren;
        this.directoryFiles = b.directoryFiles;
        this.directoryLineCount = b.directoryLineCount;
        this.directoryPointCount = new int[directoryPaths.length];
        int[] stamp = newDirectoryStamp();
        for (int p = 0; p < index.pointCount(); p++) {
            countDirectories(p, directoryPointCount, stamp);
        }
        this.remoteSections = RemoteSections.of(this);
    }

    /** Precomputes the tables for an index; paths are made relative by {@code paths}. */
    public static CoverageLayout build(KernelIndex index, PathMapper paths) {
        return new CoverageLayout(index, paths, new Builder(index, paths));
    }

    public KernelIndex index() {
        return index;
    }

    /** Where the kernel opens and closes remote coverage sections, per line and per file. */
    public RemoteSections remoteSections() {
        return remoteSections;
    }

    public PathMapper paths() {
        return paths;
    }

    public int pointCount() {
        return index.pointCount();
    }

    // ---- files

    public int fileCount() {
        return filePaths.length;
    }

    /** Path relative to the source root, e.g. "drivers/usb/core/hub.c" (absolute when outside it). */
    public String filePath(int file) {
        return filePaths[file];
    }

    /** The file with this relative path, or -1. */
    public int findFile(String path) {
        int i = Arrays.binarySearch(filePaths, path);
        return i >= 0 ? i : -1;
    }

    public int fileDirectory(int file) {
        return fileDirectory[file];
    }

    /** Points whose inline chain names this file at some level. */
    public int filePointCount(int file) {
        return filePointCount[file];
    }

    /** First line id of the file. */
    public int fileLineStart(int file) {
        return fileLineStart[file];
    }

    /** One past the last line id of the file. */
    public int fileLineEnd(int file) {
        return fileLineStart[file + 1];
    }

    public int fileLineCount(int file) {
        return fileLineStart[file + 1] - fileLineStart[file];
    }

    /** First function id of the file (functions are grouped by file). */
    public int fileFunctionStart(int file) {
        return fileFunctionStart[file];
    }

    public int fileFunctionEnd(int file) {
        return fileFunctionStart[file + 1];
    }

    // ---- lines

    public int lineCount() {
        return lineFile.length;
    }

    public int lineFile(int line) {
        return lineFile[line];
    }

    /** 1-based source line number. */
    public int lineNumber(int line) {
        return lineNumber[line];
    }

    /** The line id of {@code file}:{@code number}, or -1 when that line has no coverage point. */
    public int findLine(int file, int number) {
        int i = Arrays.binarySearch(lineNumber, fileLineStart[file], fileLineStart[file + 1], number);
        return i >= 0 ? i : -1;
    }

    public int linePointCount(int line) {
        return linePoints.size(line);
    }

    /** The points of a line, ascending. */
    public int[] pointsOfLine(int line) {
        return linePoints.row(line);
    }

    /**
     * The line a point is the code of: its innermost frame's (-1 when that frame has no line). Its other lines
     * are the call sites it was inlined through.
     */
    public int pointOwnLine(int point) {
        return pointOwnLine[point];
    }

    /** How many points are the line's own code, not an inlined callee's ({@link #pointOwnLine}). */
    public int lineOwnPointCount(int line) {
        return lineOwnPointCount[line];
    }

    // ---- functions

    public int functionCount() {
        return functionFile.length;
    }

    public String functionName(int function) {
        return index.string(functionNameId[function]);
    }

    public int functionFile(int function) {
        return functionFile[function];
    }

    /** The lowest line number of the function that has a point (where to navigate), 0 when none. */
    public int functionFirstLine(int function) {
        return functionFirstLine[function];
    }

    public int functionPointCount(int function) {
        return functionPointCount[function];
    }

    public int functionLineCount(int function) {
        return functionLines.size(function);
    }

    /** The function {@code name} in file {@code path} (the first by id when there are several), or -1. */
    public int findFunction(String name, String path) {
        int file = findFile(path);
        if (file < 0) {
            return -1;
        }
        for (int f = fileFunctionStart[file]; f < fileFunctionStart[file + 1]; f++) {
            if (functionName(f).equals(name)) {
                return f;
            }
        }
        return -1;
    }

    // ---- directories

    public int directoryCount() {
        return directoryPaths.length;
    }

    /** Path relative to the source root ("" for the root, "drivers/usb"). */
    public String directoryPath(int directory) {
        return directoryPaths[directory];
    }

    /** Last path component ("usb"; "" for the root). */
    public String directoryName(int directory) {
        String path = directoryPaths[directory];
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Parent directory, -1 for the root. */
    public int directoryParent(int directory) {
        return directoryParent[directory];
    }

    /** Sub-directories, sorted by path. */
    public int[] childDirectories(int directory) {
        return directoryChildren.row(directory);
    }

    /** Files directly in the directory, sorted by path. */
    public int[] filesOfDirectory(int directory) {
        return directoryFiles.row(directory);
    }

    /** Distinct points with a frame in a file under the directory (all points for the root). */
    public int directoryPointCount(int directory) {
        return directoryPointCount[directory];
    }

    public int directoryLineCount(int directory) {
        return directoryLineCount[directory];
    }

    // ---- tables for the coverage computation (package-private: callers must not mutate them)

    Csr pointLinesTable() {
        return pointLines;
    }

    Csr pointFunctionsTable() {
        return pointFunctions;
    }

    Csr pointFilesTable() {
        return pointFiles;
    }

    /** A stamp array for {@link #countDirectories}: one entry per directory, none counted yet. */
    int[] newDirectoryStamp() {
        int[] stamp = new int[directoryPaths.length];
        Arrays.fill(stamp, -1);
        return stamp;
    }

    /**
     * Adds one to {@code counts} of the root and of every directory holding a file of the point's inline
     * chain, each once: {@code stamp} (from {@link #newDirectoryStamp}, reused while points are counted in any
     * order, each once) marks what this point already counted. Walked per point instead of stored as a
     * point → directories table, which would take ~15 MB for a kernel while a run only counts its hit points.
     */
    void countDirectories(int point, int[] counts, int[] stamp) {
        counts[ROOT]++;
        for (int i = pointFiles.start[point]; i < pointFiles.start[point + 1]; i++) {
            for (int d = fileDirectory[pointFiles.values[i]]; d > ROOT && stamp[d] != point; d = directoryParent[d]) {
                stamp[d] = point;
                counts[d]++;
            }
        }
    }

    Csr lineFunctionsTable() {
        return lineFunctions;
    }

    Csr functionLinesTable() {
        return functionLines;
    }

    int[] lineFileArray() {
        return lineFile;
    }

    int[] directoryParentArray() {
        return directoryParent;
    }

    /** How many rows name each column: points per function, file or directory. */
    private static int[] occurrences(Csr table, int columns) {
        int[] out = new int[columns];
        for (int value : table.values) {
            out[value]++;
        }
        return out;
    }

    /**
     * Whether a frame's file name names a file the layout lays out: not missing, empty or unknown ("??"). Also
     * {@link FileLines}' reading, which must find a file's lines exactly as the layout does.
     */
    static boolean namesAFile(String dwarfPath) {
        return dwarfPath != null && !dwarfPath.isEmpty() && !dwarfPath.equals(Symbolizer.UNKNOWN);
    }

    /** The one-time computation, kept apart so the finished layout has only final fields. */
    private static final class Builder {
        String[] filePaths;
        int[] fileDirectory;
        int[] fileLineStart;
        int[] fileFunctionStart;
        int[] lineFile;
        int[] lineNumber;
        Csr pointLines;
        int[] pointOwnLine;
        Csr pointFunctions;
        int[] functionNameId;
        int[] functionFile;
        int[] functionFirstLine;
        Csr lineFunctions;
        Csr functionLines;
        Csr pointFiles;
        String[] directoryPaths;
        int[] directoryParent;
        Csr directoryChildren;
        Csr directoryFiles;
        int[] directoryLineCount;

        Builder(KernelIndex index, PathMapper paths) {
            int[] frameFile = fileIds(index, paths);
            int[] frameLine = lineIds(index, frameFile);
            int[] frameFunction = functionIds(index, frameFile);
            directories();
            pointTables(index, frameFile, frameLine, frameFunction);
            lineFunctionTables(frameLine, frameFunction);
        }

        /**
         * Relative path per frame-file string, then sorted file ids per frame (-1: no file). Only the
         * frames of this index's own points count: the frame columns are shared with the comparison
         * sites, and a line the PC points never reach is no line of the PC layout (and vice versa).
         */
        private int[] fileIds(KernelIndex index, PathMapper paths) {
            int[] rawFile = index.rawFrameFile();
            int firstFrame = index.rawChainStart()[0];
            int endFrame = index.rawChainStart()[index.pointCount()];
            int[] ofString = new int[index.stringCount()];
            Arrays.fill(ofString, -2);
            Map<String, Integer> idOfPath = new HashMap<>();
            List<String> pathList = new ArrayList<>();
            for (int f = firstFrame; f < endFrame; f++) {
                int sid = rawFile[f];
                if (ofString[sid] != -2) {
                    continue;
                }
                String dwarfPath = index.string(sid);
                if (!namesAFile(dwarfPath)) {
                    ofString[sid] = -1;
                    continue;
                }
                String relative = paths.toRelative(dwarfPath);
                Integer id = idOfPath.get(relative);
                if (id == null) {
                    id = pathList.size();
                    idOfPath.put(relative, id);
                    pathList.add(relative);
                }
                ofString[sid] = id;
            }
            filePaths = pathList.toArray(String[]::new);
            Arrays.sort(filePaths);
            int[] remap = new int[filePaths.length];
            for (int i = 0; i < filePaths.length; i++) {
                remap[idOfPath.get(filePaths[i])] = i;
            }
            int[] perFrame = new int[rawFile.length];
            Arrays.fill(perFrame, -1);
            for (int f = firstFrame; f < endFrame; f++) {
                int tmp = ofString[rawFile[f]];
                perFrame[f] = tmp < 0 ? -1 : remap[tmp];
            }
            return perFrame;
        }

        /**
         * Distinct (file, line) pairs sorted, and the line id of every frame (-1: no line). A bitmap of each file's
         * lines (one bit per line number up to the file's highest) replaces a sort of the frames' pairs: a line's id
         * is the number of bits set before its own, which the word's running count and a popcount give.
         */
        private int[] lineIds(KernelIndex index, int[] frameFile) {
            int[] rawLine = index.rawFrameLine();
            int[] fileWords = new int[filePaths.length + 1];
            for (int f = 0; f < frameFile.length; f++) {
                int file = frameFile[f];
                if (file >= 0 && rawLine[f] > 0) {
                    fileWords[file + 1] = Math.max(fileWords[file + 1], (rawLine[f] >>> 6) + 1);
                }
            }
            // Summed as a long: 64 files each with a line near 2^31 (a corrupt index) are 2^31 words, and an int sum
            // wraps to a size that passes the check, then indexes out of the bitmap or into another file's words.
            long words = 0;
            for (int file = 1; file <= filePaths.length; file++) {
                words += fileWords[file];
            }
            if (words > frameFile.length + 4096L) {
                // Line numbers so sparse (one in the millions) that the bits would outweigh the sort's keys.
                return lineIdsBySort(index, frameFile);
            }
            prefixSum(fileWords);
            long[] bits = new long[fileWords[filePaths.length]];
            for (int f = 0; f < frameFile.length; f++) {
                int file = frameFile[f];
                int line = rawLine[f];
                if (file >= 0 && line > 0) {
                    bits[fileWords[file] + (line >>> 6)] |= 1L << line;
                }
            }
            int[] linesBefore = new int[bits.length + 1];
            for (int w = 0; w < bits.length; w++) {
                linesBefore[w + 1] = linesBefore[w] + Long.bitCount(bits[w]);
            }
            int lines = linesBefore[bits.length];
            lineFile = new int[lines];
            lineNumber = new int[lines];
            fileLineStart = new int[filePaths.length + 1];
            for (int file = 0; file < filePaths.length; file++) {
                fileLineStart[file + 1] = linesBefore[fileWords[file + 1]];
                for (int w = fileWords[file], l = linesBefore[w]; w < fileWords[file + 1]; w++) {
                    for (long word = bits[w]; word != 0; word &= word - 1) {
                        lineFile[l] = file;
                        lineNumber[l++] = (w - fileWords[file]) << 6 | Long.numberOfTrailingZeros(word);
                    }
                }
            }
            int[] perFrame = new int[frameFile.length];
            Arrays.fill(perFrame, -1);
            for (int f = 0; f < frameFile.length; f++) {
                int file = frameFile[f];
                int line = rawLine[f];
                if (file >= 0 && line > 0) {
                    int w = fileWords[file] + (line >>> 6);
                    perFrame[f] = linesBefore[w] + Long.bitCount(bits[w] & ~(-1L << line));
                }
            }
            return perFrame;
        }

        /** {@link #lineIds}'s result by a sort of the frames' (file, line) pairs, for line numbers too sparse for a bitmap. */
        private int[] lineIdsBySort(KernelIndex index, int[] frameFile) {
            int[] rawLine = index.rawFrameLine();
            long[] keys = new long[frameFile.length];
            int[] frames = new int[frameFile.length];
            int n = 0;
            for (int f = 0; f < frameFile.length; f++) {
                if (frameFile[f] >= 0 && rawLine[f] > 0) {
                    keys[n] = (long) frameFile[f] << 32 | rawLine[f];
                    frames[n++] = f;
                }
            }
            RadixSort.sort(keys, frames, n);
            int lines = distinctCount(keys, n);
            lineFile = new int[lines];
            lineNumber = new int[lines];
            fileLineStart = new int[filePaths.length + 1];
            int[] perFrame = new int[frameFile.length];
            Arrays.fill(perFrame, -1);
            for (int i = 0, l = -1; i < n; i++) {
                if (i == 0 || keys[i] != keys[i - 1]) {
                    l++;
                    lineFile[l] = (int) (keys[i] >>> 32);
                    lineNumber[l] = (int) keys[i];
                    fileLineStart[lineFile[l] + 1]++;
                }
                perFrame[frames[i]] = l;
            }
            prefixSum(fileLineStart);
            return perFrame;
        }

        /**
         * Distinct (file, name) functions ordered by file, first line, name; the function of every frame. The frames
         * are bucketed by file (a counting sort), and a file's functions told apart by a stamp per name.
         */
        private int[] functionIds(KernelIndex index, int[] frameFile) {
            int[] rawName = index.rawFrameFunction();
            int[] rawLine = index.rawFrameLine();
            int[] bucket = new int[filePaths.length + 1];
            for (int file : frameFile) {
                if (file >= 0) {
                    bucket[file + 1]++;
                }
            }
            prefixSum(bucket);
            int[] fill = Arrays.copyOf(bucket, filePaths.length);
            int[] frames = new int[bucket[filePaths.length]];
            for (int f = 0; f < frameFile.length; f++) {
                if (frameFile[f] >= 0) {
                    frames[fill[frameFile[f]]++] = f;
                }
            }
            int[] stamp = new int[index.stringCount()];
            Arrays.fill(stamp, -1);
            int[] idOfName = new int[index.stringCount()];
            long[] distinct = new long[Math.min(frames.length, 1024)];
            int[] firstLine = new int[distinct.length];
            int[] perFrame = new int[frameFile.length];
            Arrays.fill(perFrame, -1);
            int count = 0;
            for (int file = 0; file < filePaths.length; file++) {
                for (int i = bucket[file]; i < bucket[file + 1]; i++) {
                    int f = frames[i];
                    int name = rawName[f];
                    if (stamp[name] != file) {
                        stamp[name] = file;
                        if (count == distinct.length) {
                            distinct = Arrays.copyOf(distinct, count * 2);
                            firstLine = Arrays.copyOf(firstLine, count * 2);
                        }
                        distinct[count] = (long) file << 32 | name;
                        idOfName[name] = count++;
                    }
                    int id = idOfName[name];
                    perFrame[f] = id;
                    if (rawLine[f] > 0 && (firstLine[id] == 0 || rawLine[f] < firstLine[id])) {
                        firstLine[id] = rawLine[f];
                    }
                }
            }
            distinct = Arrays.copyOf(distinct, count);
            firstLine = Arrays.copyOf(firstLine, count);
            int[] order = byFileFirstLineName(index, distinct, firstLine);
            int[] newId = new int[distinct.length];
            functionNameId = new int[distinct.length];
            functionFile = new int[distinct.length];
            functionFirstLine = new int[distinct.length];
            fileFunctionStart = new int[filePaths.length + 1];
            for (int i = 0; i < order.length; i++) {
                int old = order[i];
                newId[old] = i;
                functionFile[i] = (int) (distinct[old] >>> 32);
                functionNameId[i] = (int) distinct[old];
                functionFirstLine[i] = firstLine[old];
                fileFunctionStart[functionFile[i] + 1]++;
            }
            prefixSum(fileFunctionStart);
            for (int f = 0; f < perFrame.length; f++) {
                if (perFrame[f] >= 0) {
                    perFrame[f] = newId[perFrame[f]];
                }
            }
            return perFrame;
        }

        /**
         * The functions' order: by file, then first line (none last), then name, then the name's string id.
         * A radix sort by (file, first line) and a name sort of the few runs that tie.
         */
        private static int[] byFileFirstLineName(KernelIndex index, long[] distinct, int[] firstLine) {
            long[] keys = new long[distinct.length];
            int[] order = new int[distinct.length];
            for (int i = 0; i < distinct.length; i++) {
                keys[i] = (distinct[i] >>> 32) << 32 | (firstLine[i] == 0 ? Integer.MAX_VALUE : firstLine[i]);
                order[i] = i;
            }
            RadixSort.sort(keys, order, keys.length);
            for (int from = 0, to; from < keys.length; from = to) {
                for (to = from + 1; to < keys.length && keys[to] == keys[from]; to++) {
                    // the run of equal keys
                }
                for (int i = from + 1; i < to; i++) { // insertion sort: stable, and runs are a few functions long
                    int moving = order[i];
                    int j = i;
                    for (; j > from && byName(index, distinct[order[j - 1]], distinct[moving]) > 0; j--) {
                        order[j] = order[j - 1];
                    }
                    order[j] = moving;
                }
            }
            return order;
        }

        /** Two functions by name, then by the name's string id (a string table may hold a name twice). */
        private static int byName(KernelIndex index, long a, long b) {
            int byString = index.string((int) a).compareTo(index.string((int) b));
            return byString != 0 ? byString : Integer.compare((int) a, (int) b);
        }

        /** Every ancestor directory of every file, sorted by path, the root ("") first. */
        private void directories() {
            TreeSet<String> all = new TreeSet<>();
            all.add("");
            for (String path : filePaths) {
                for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
                    all.add(path.substring(0, slash));
                }
            }
            directoryPaths = all.toArray(String[]::new);
            directoryParent = new int[directoryPaths.length];
            directoryParent[ROOT] = -1;
            int[] parentOf = new int[directoryPaths.length];
            for (int d = 1; d < directoryPaths.length; d++) {
                parentOf[d] = Arrays.binarySearch(directoryPaths, parentPath(directoryPaths[d]));
                directoryParent[d] = parentOf[d];
            }
            directoryChildren = groupBy(parentOf, 1, directoryPaths.length, directoryPaths.length);
            fileDirectory = new int[filePaths.length];
            for (int f = 0; f < filePaths.length; f++) {
                fileDirectory[f] = Arrays.binarySearch(directoryPaths, parentPath(filePaths[f]));
            }
            directoryFiles = groupBy(fileDirectory, 0, filePaths.length, directoryPaths.length);
            directoryLineCount = new int[directoryPaths.length];
            for (int f = 0; f < filePaths.length; f++) {
                int lines = fileLineStart[f + 1] - fileLineStart[f];
                for (int d = fileDirectory[f]; d >= 0; d = directoryParent[d]) {
                    directoryLineCount[d] += lines;
                }
            }
        }

        /** Rows = groups, values = the members {@code from..to-1} whose group is {@code groupOf[member]}. */
        private static Csr groupBy(int[] groupOf, int from, int to, int groups) {
            int[] start = new int[groups + 1];
            for (int m = from; m < to; m++) {
                start[groupOf[m] + 1]++;
            }
            prefixSum(start);
            int[] fill = Arrays.copyOf(start, groups);
            int[] values = new int[to - from];
            for (int m = from; m < to; m++) {
                values[fill[groupOf[m]]++] = m;
            }
            return new Csr(start, values);
        }

        private static String parentPath(String path) {
            int slash = path.lastIndexOf('/');
            return slash <= 0 ? "" : path.substring(0, slash);
        }

        /** Per point its distinct lines, functions and files, in chain order, from its frames. */
        private void pointTables(KernelIndex index, int[] frameFile, int[] frameLine, int[] frameFunction) {
            int points = index.pointCount();
            int[] chainStart = index.rawChainStart();
            int frames = chainStart[points] - chainStart[0];
            int[] lineStart = new int[points + 1];
            int[] functionStart = new int[points + 1];
            int[] fileStart = new int[points + 1];
            int[] lines = new int[frames];
            int[] functions = new int[frames];
            int[] files = new int[frames];
            // The point that last added each line, function and file: a row holds each once.
            int[] lineStamp = stamps(lineFile.length);
            int[] functionStamp = stamps(functionFile.length);
            int[] fileStamp = stamps(filePaths.length);
            int nLines = 0;
            int nFunctions = 0;
            int nFiles = 0;
            pointOwnLine = new int[points];
            for (int p = 0; p < points; p++) {
                int start = chainStart[p];
                int end = chainStart[p + 1];
                pointOwnLine[p] = end > start ? frameLine[start] : -1;
                for (int f = start; f < end; f++) {
                    int line = frameLine[f];
                    if (line >= 0 && lineStamp[line] != p) {
                        lineStamp[line] = p;
                        lines[nLines++] = line;
                    }
                    int function = frameFunction[f];
                    if (function >= 0 && functionStamp[function] != p) {
                        functionStamp[function] = p;
                        functions[nFunctions++] = function;
                    }
                    int file = frameFile[f];
                    if (file >= 0 && fileStamp[file] != p) {
                        fileStamp[file] = p;
                        files[nFiles++] = file;
                    }
                }
                lineStart[p + 1] = nLines;
                functionStart[p + 1] = nFunctions;
                fileStart[p + 1] = nFiles;
            }
            pointLines = new Csr(lineStart, Arrays.copyOf(lines, nLines));
            pointFunctions = new Csr(functionStart, Arrays.copyOf(functions, nFunctions));
            pointFiles = new Csr(fileStart, Arrays.copyOf(files, nFiles));
        }

        private static int[] stamps(int size) {
            int[] stamp = new int[size];
            Arrays.fill(stamp, -1);
            return stamp;
        }

        /**
         * Line ↔ function from the frames that name both: the frames' functions bucketed by line (a counting
         * sort), then each line's few distinct functions sorted in place.
         */
        private void lineFunctionTables(int[] frameLine, int[] frameFunction) {
            int[] bucket = new int[lineFile.length + 1];
            for (int f = 0; f < frameLine.length; f++) {
                if (frameLine[f] >= 0 && frameFunction[f] >= 0) {
                    bucket[frameLine[f] + 1]++;
                }
            }
            prefixSum(bucket);
            int[] fill = Arrays.copyOf(bucket, lineFile.length);
            int[] functions = new int[bucket[lineFile.length]];
            for (int f = 0; f < frameLine.length; f++) {
                if (frameLine[f] >= 0 && frameFunction[f] >= 0) {
                    functions[fill[frameLine[f]]++] = frameFunction[f];
                }
            }
            int[] stamp = new int[functionFile.length];
            Arrays.fill(stamp, -1);
            int[] start = new int[lineFile.length + 1];
            int n = 0;
            for (int line = 0; line < lineFile.length; line++) {
                int first = n;
                for (int i = bucket[line]; i < bucket[line + 1]; i++) {
                    int function = functions[i];
                    if (stamp[function] != line) {
                        stamp[function] = line;
                        functions[n++] = function; // n <= i: the distinct ones move down over what was read
                    }
                }
                sortFew(functions, first, n);
                start[line + 1] = n;
            }
            lineFunctions = new Csr(start, Arrays.copyOf(functions, n));
            functionLines = lineFunctions.invert(functionFile.length);
        }

        /**
         * Sorts {@code values[from..to-1]}: a line has one function or a few (its inline chain), and
         * {@link Arrays#sort} called once per line of a kernel was a fifth of the layout's build under C1.
         */
        private static void sortFew(int[] values, int from, int to) {
            if (to - from > 16) {
                Arrays.sort(values, from, to);
                return;
            }
            for (int i = from + 1; i < to; i++) {
                int moving = values[i];
                int j = i;
                for (; j > from && values[j - 1] > moving; j--) {
                    values[j] = values[j - 1];
                }
                values[j] = moving;
            }
        }

        private static int distinctCount(long[] sorted, int n) {
            int count = 0;
            for (int i = 0; i < n; i++) {
                count += i == 0 || sorted[i] != sorted[i - 1] ? 1 : 0;
            }
            return count;
        }

        private static void prefixSum(int[] counts) {
            for (int i = 1; i < counts.length; i++) {
                counts[i] += counts[i - 1];
            }
        }
    }
}
