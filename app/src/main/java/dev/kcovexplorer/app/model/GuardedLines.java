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
    /** file NUL function → sorted distinct lines of the function's comparison sites (innermost frames). */
    private final Map<String, int[]> siteLines;
    /** file → sorted first lines of the PC layout's functions in it (filled as hovers ask, from any thread). */
    private final Map<String, int[]> functionStarts = new ConcurrentHashMap<>();

    private GuardedLines(Coverage pc, Map<String, int[]> siteLines) {
        this.pc = pc;
        this.siteLines = siteLines;
    }

    /**
     * @param pc    coverage of PC runs (lines are uncovered there, or not)
     * @param sites the comparison-site index, whose innermost frames place the comparisons
     */
    public static GuardedLines of(Coverage pc, KernelIndex sites, PathMapper paths) {
        Map<String, TreeSet<Integer>> lines = new HashMap<>();
        for (int s = 0; s < sites.pointCount(); s++) {
            int frame = sites.chainStart(s);
            if (frame < sites.chainEnd(s) && sites.frameLine(frame) > 0
                    && !sites.frameFile(frame).equals(Symbolizer.UNKNOWN)) {
                lines.computeIfAbsent(key(paths.toRelative(sites.frameFile(frame)), sites.frameFunction(frame)),
                        k -> new TreeSet<>()).add(sites.frameLine(frame));
            }
        }
        Map<String, int[]> sorted = new HashMap<>(lines.size() * 2);
        lines.forEach((k, v) -> sorted.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new GuardedLines(pc, sorted);
    }

    /**
     * The line numbers after {@code line} of {@code function} in {@code file} (a path as the layouts give it),
     * up to its next comparison or the next function, whose state in the PC coverage is uncovered: lines
     * that ran no point in a function that ran.
     */
    public int[] uncoveredAfter(String file, String function, int line) {
        int end = Integer.MAX_VALUE;
        int[] own = siteLines.get(key(file, function));
        if (own != null) {
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
        for (int l = layout.fileLineStart(fileId); l < layout.fileLineEnd(fileId); l++) {
            int number = layout.lineNumber(l);
            if (number > line && number < end && pc.lineState(l) == LineState.UNCOVERED) {
                out.add(number);
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

    private static String key(String file, String function) {
        return file + '\0' + function;
    }
}
