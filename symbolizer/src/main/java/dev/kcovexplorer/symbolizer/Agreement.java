package dev.kcovexplorer.symbolizer;

import dev.kcovexplorer.symbolizer.dwarf.SourcePaths;

import java.util.ArrayList;
import java.util.List;

/**
 * How far two symbolizers agree on file:line of every frame, with the addresses where they differ: what the
 * oracle tests assert and {@code bench symbolize --check} prints.
 */
public final class Agreement {
    private final int total;
    private int innermostEqual;
    private int chainEqual;
    private int functionEqual;
    private final List<String> differences = new ArrayList<>();
    private final List<Integer> differing = new ArrayList<>();
    private final List<String> functionDifferences = new ArrayList<>();

    private Agreement(int total) {
        this.total = total;
    }

    public static Agreement of(long[] addresses, List<List<Frame>> ours, List<List<Frame>> theirs) {
        Agreement a = new Agreement(addresses.length);
        for (int i = 0; i < addresses.length; i++) {
            List<Frame> o = ours.get(i);
            List<Frame> t = theirs.get(i);
            boolean inner = location(first(o)).equals(location(first(t)));
            boolean chain = o.size() == t.size() || (o.isEmpty() && t.size() == 1) || (t.isEmpty() && o.size() == 1);
            int n = Math.max(o.size(), t.size());
            for (int f = 0; chain && f < n; f++) {
                chain = location(f < o.size() ? o.get(f) : null).equals(location(f < t.size() ? t.get(f) : null));
            }
            if (inner) {
                a.innermostEqual++;
            }
            if (chain) {
                a.chainEqual++;
            } else {
                a.differing.add(i);
                a.differences.add("0x" + Long.toHexString(addresses[i]) + "\n   ours:   " + describe(o)
                        + "\n   theirs: " + describe(t));
            }
            if (functionNames(o).equals(functionNames(t))) {
                a.functionEqual++;
            } else {
                a.functionDifferences.add("0x" + Long.toHexString(addresses[i]) + "\n   ours:   " + describe(o)
                        + "\n   theirs: " + describe(t));
            }
        }
        return a;
    }

    private static Frame first(List<Frame> frames) {
        return frames.isEmpty() ? null : frames.get(0);
    }

    /** file:line with the spellings of "unknown" unified ("??", "", "<invalid>", line 0). */
    static String location(Frame f) {
        if (f == null) {
            return "??:0";
        }
        String file = f.file() == null || f.file().isEmpty() || f.file().equals("<invalid>") ? Symbolizer.UNKNOWN
                : SourcePaths.collapse(f.file());
        return file + ":" + f.line();
    }

    /**
     * The function names of a chain as llvm-symbolizer prints them: it names the outermost frame after
     * the symbol table, which is our linkage name when that differs.
     */
    static List<String> functionNames(List<Frame> frames) {
        List<String> names = new ArrayList<>();
        if (frames.isEmpty()) {
            names.add(Symbolizer.UNKNOWN); // llvm-symbolizer prints one unknown frame where we print none
        }
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            names.add(i == frames.size() - 1 && f.linkage() != null ? f.linkage() : function(f));
        }
        return names;
    }

    static String function(Frame f) {
        return f == null || f.function() == null ? Symbolizer.UNKNOWN : f.function();
    }

    static String describe(List<Frame> frames) {
        StringBuilder b = new StringBuilder();
        for (Frame f : frames) {
            b.append(function(f)).append(f.linkage() != null ? "[" + f.linkage() + "]" : "").append('@')
                    .append(location(f)).append(':').append(f.column()).append("  ");
        }
        return b.length() == 0 ? "(no frames)" : b.toString();
    }

    /** The addresses whose chains differ in some frame's file:line, each with both chains. */
    public List<String> differences() {
        return differences;
    }

    /** Indexes (into the addresses) of those addresses. */
    public List<Integer> differing() {
        return differing;
    }

    /** The addresses whose chains differ in function names, each with both chains. */
    public List<String> functionDifferences() {
        return functionDifferences;
    }

    public double chainRate() {
        return total == 0 ? 1 : (double) chainEqual / total;
    }

    public double functionRate() {
        return total == 0 ? 1 : (double) functionEqual / total;
    }

    public double innermostRate() {
        return total == 0 ? 1 : (double) innermostEqual / total;
    }

    @Override
    public String toString() {
        return String.format("%d addresses: innermost file:line %.3f%%, whole chain %.3f%%, function names %.3f%%",
                total, 100 * innermostRate(), 100 * chainRate(), 100.0 * functionEqual / Math.max(1, total));
    }
}
