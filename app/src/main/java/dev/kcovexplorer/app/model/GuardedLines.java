package dev.kcovexplorer.app.model;

import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The code after a comparison, as far as source lines tell: the lines of its file after it, up to the
 * next comparison of its function (or the first line of the next function), and which of them are
 * uncovered in PC coverage. The index keeps no branch targets, so this is a reading of the source
 * layout ({@code if (s == 0x0409) note();} guards the line after it): hints say "after it", never "its branch".
 */
public final class GuardedLines {
    private final Coverage pc;
    private final SiteLines siteLines;
    /** file → sorted first lines of the PC layout's functions in it (filled as hovers ask, from any thread). */
    private final Map<String, int[]> functionStarts = new ConcurrentHashMap<>();

    private GuardedLines(Coverage pc, SiteLines siteLines) {
        this.pc = pc;
        this.siteLines = siteLines;
    }

    /**
     * @param pc    coverage of PC runs (lines are uncovered there, or not)
     * @param sites where the session's comparison sites are: {@link #siteLines}, computed once per session
     */
    public static GuardedLines of(Coverage pc, SiteLines sites) {
        return new GuardedLines(pc, sites);
    }

    /**
     * Per file and function, the lines of its comparison sites: the same for every composition of a session. A file's
     * are grouped the first time a hover text asks for them: grouping the whole kernel's (245,682 sites on the demo)
     * was 30-40 ms of CPU in every window start, for the few files of the start view's hover texts.
     */
    public static final class SiteLines {
        private static final int[] NONE = new int[0];
        private final KernelIndex sites;
        /** Relative path → its row of {@link #sitesByPath}: the sites whose innermost frame is in that file. */
        private final Map<String, Integer> pathRows;
        private final Csr sitesByPath;
        /** file → function → sorted distinct lines of the function's comparison sites (innermost frames). */
        private final Map<String, Map<String, int[]>> byFile = new ConcurrentHashMap<>();

        private SiteLines(KernelIndex sites, Map<String, Integer> pathRows, Csr sitesByPath) {
            this.sites = sites;
            this.pathRows = pathRows;
            this.sitesByPath = sitesByPath;
        }

        /** The sorted distinct lines of the comparison sites of {@code function} in {@code file}; none when it has none. */
        int[] of(String file, String function) {
            return byFile.computeIfAbsent(file, this::ofFile).getOrDefault(function, NONE);
        }

        /**
         * The file's sites grouped by function: their (function, line) keys sorted, not put in a map of boxed keys. Two
         * names of one file (the index's strings for a header reached by two paths) are one path, and two ids of one
         * function name one function: the lines are both's. Only the file's own sites are read, so a list of sites
         * in many files (the Comparisons window's rows of every file) costs one pass over the sites, not one per file.
         */
        private Map<String, int[]> ofFile(String file) {
            Integer row = pathRows.get(file);
            int[] own = row == null ? NONE : sitesByPath.row(row);
            long[] keys = new long[own.length];
            for (int i = 0; i < own.length; i++) {
                int frame = sites.chainStart(own[i]);
                keys[i] = (long) sites.frameFunctionId(frame) << 32 | sites.frameLine(frame);
            }
            Arrays.sort(keys);
            int n = keys.length;
            Map<String, int[]> lines = new HashMap<>();
            for (int start = 0, end; start < n; start = end) {
                int function = (int) (keys[start] >>> 32);
                end = start + 1;
                while (end < n && (int) (keys[end] >>> 32) == function) {
                    end++;
                }
                int[] functionLines = new int[end - start];
                for (int i = start; i < end; i++) {
                    functionLines[i - start] = (int) keys[i];
                }
                lines.merge(sites.string(function), sortedDistinct(functionLines), GuardedLines::union);
            }
            return lines;
        }
    }

    /**
     * The lines of the comparison sites of {@code sites} (the comparison-site index, whose innermost frames
     * place them), by file and function, grouped per file as they are asked for. Paths are mapped once per file
     * name, here, not once per site: a kernel has hundreds of thousands of sites in a few thousand files. The
     * sites are bucketed by path here (two passes over ints), so that grouping a file reads that file's sites alone.
     */
    public static SiteLines siteLines(KernelIndex sites, PathMapper paths) {
        // By the file name's string id: the row of its path as the layouts give it, or -1 for a name the index could not name.
        int[] rowOfName = new int[sites.stringCount()];
        boolean[] mapped = new boolean[sites.stringCount()];
        Map<String, Integer> pathRows = new HashMap<>();
        // Site → its path's row (none for a site without a placed innermost frame), inverted below into the rows' sites.
        int[] siteStart = new int[sites.pointCount() + 1];
        int[] siteRows = new int[sites.pointCount()];
        int n = 0;
        for (int s = 0; s < sites.pointCount(); s++) {
            siteStart[s] = n;
            int frame = sites.chainStart(s);
            if (frame >= sites.chainEnd(s) || sites.frameLine(frame) <= 0) {
                continue;
            }
            int file = sites.frameFileId(frame);
            if (!mapped[file]) {
                String name = sites.string(file);
                rowOfName[file] = name.equals(Symbolizer.UNKNOWN) ? -1
                        : pathRows.computeIfAbsent(paths.toRelative(name), k -> pathRows.size());
                mapped[file] = true;
            }
            if (rowOfName[file] >= 0) {
                siteRows[n++] = rowOfName[file];
            }
        }
        siteStart[sites.pointCount()] = n;
        Csr pathOfSite = new Csr(siteStart, Arrays.copyOf(siteRows, n));
        return new SiteLines(sites, pathRows, pathOfSite.invert(pathRows.size()));
    }

    private static int[] union(int[] a, int[] b) {
        int[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return sortedDistinct(both);
    }

    private static int[] sortedDistinct(int[] values) {
        Arrays.sort(values);
        int n = 0;
        for (int v : values) {
            if (n == 0 || values[n - 1] != v) {
                values[n++] = v;
            }
        }
        return Arrays.copyOf(values, n);
    }

    /**
     * The line numbers after {@code line} of {@code function} in {@code file} (a path as the layouts give it),
     * up to its next comparison or the next function, whose state in the PC coverage is uncovered: lines
     * that ran no point in a function that ran.
     */
    public int[] uncoveredAfter(String file, String function, int line) {
        int end = Integer.MAX_VALUE;
        int[] own = siteLines.of(file, function);
        if (own.length > 0) {
            int next = Arrays.binarySearch(own, line + 1);
            next = next >= 0 ? next : -next - 1;
            end = next < own.length ? own[next] : end;
        }
        int[] starts = functionStarts.computeIfAbsent(file, this::functionStarts);
        int after = Arrays.binarySearch(starts, line + 1);
        after = after >= 0 ? after : -after - 1;
        end = after < starts.length ? Math.min(end, starts[after]) : end;
        CoverageLayout layout = pc.layout();
        int fileId = layout.findFile(file);
        if (fileId < 0) {
            return new int[0];
        }
        IntList out = new IntList(4);
        // The file's lines ascend: from the first after the comparison's (a binary search, not a walk from the
        // top of hub.c for each of its sites) up to the end.
        int from = layout.fileLineStart(fileId);
        int to = layout.fileLineEnd(fileId);
        while (from < to) {
            int middle = (from + to) >>> 1;
            if (layout.lineNumber(middle) <= line) {
                from = middle + 1;
            } else {
                to = middle;
            }
        }
        for (int l = from; l < layout.fileLineEnd(fileId) && layout.lineNumber(l) < end; l++) {
            if (pc.lineState(l) == LineState.UNCOVERED) {
                out.add(layout.lineNumber(l));
            }
        }
        return out.toArray();
    }

    private int[] functionStarts(String file) {
        CoverageLayout layout = pc.layout();
        int fileId = layout.findFile(file);
        if (fileId < 0) {
            return new int[0];
        }
        TreeSet<Integer> starts = new TreeSet<>();
        for (int f = layout.fileFunctionStart(fileId); f < layout.fileFunctionEnd(fileId); f++) {
            if (layout.functionFirstLine(f) > 0) {
                starts.add(layout.functionFirstLine(f));
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }
}
