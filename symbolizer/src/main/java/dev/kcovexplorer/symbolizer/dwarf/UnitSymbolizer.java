package dev.kcovexplorer.symbolizer.dwarf;

/**
 * The parsed line table and function tree of one compile unit: answers PCs of that unit. Building
 * one costs a pass over the unit's DIEs and line program, so bulk callers build it once per unit,
 * answer all of the unit's PCs, and drop it. Immutable once built, so threads may share one.
 */
public final class UnitSymbolizer {
    private final DebugInfo names;
    private final LineTable lines;
    private final FunctionTable functions;
    /** Deeper inline nesting than this is cut at the innermost frames' outer end. */
    private static final int MAX_DEPTH = 128;
    /** Scratch for chains: lookups run ~10^6 times per kernel, so no array per call. */
    private static final String NO_NAME = new String("");
    private static final ThreadLocal<int[]> CHAIN = ThreadLocal.withInitial(() -> new int[MAX_DEPTH]);

    /** Names by node, filled on first use (racing threads store the same immutable string). */
    private final String[] nodeNames;

    UnitSymbolizer(DebugInfo names, LineTable lines, FunctionTable functions) {
        this.names = names;
        this.lines = lines;
        this.functions = functions;
        this.nodeNames = new String[functions == null ? 0 : functions.nodeCount()];
    }

    private String name(int node) {
        String n = nodeNames[node];
        if (n == null) {
            n = names.functionName(functions.die(node));
            nodeNames[node] = n == null ? NO_NAME : n;
            return n;
        }
        return n == NO_NAME ? null : n;
    }

    /** The file that declares the function of {@code node}, or null. */
    private String declaredFile(int node) {
        if (lines == null) {
            return null;
        }
        int declFile = names.functionDeclFile(functions.die(node));
        return declFile < 0 ? null : lines.filePath(declFile);
    }

    /**
     * Writes {@code pc}'s frames, innermost first, to {@code sink}: the innermost one located by the
     * line table, each outer one at the call site recorded in the inlined subroutine it calls.
     *
     * @return the number of frames written; 0 when this unit knows neither a function nor a line for pc
     */
    public int lookup(long pc, FrameSink sink) {
        int[] chain = CHAIN.get();
        int depth = functions == null ? 0 : functions.chain(pc, chain);
        int row = lines == null ? -1 : lines.findRow(pc);
        if (depth == 0) {
            if (row < 0) {
                return 0;
            }
            sink.frame(null, lines.filePath(lines.rowFile(row)), lines.rowLine(row), lines.rowColumn(row));
            return 1;
        }
        int innermost = chain[depth - 1];
        // No row covers pc: the innermost function still says which file it is in. GCC puts the
        // __sanitizer_cov_trace_pc call that opens a function's .cold part before the part's first row,
        // so a kernel's cold-path points land here; without this they would have no directory.
        String file = row >= 0 ? lines.filePath(lines.rowFile(row)) : declaredFile(innermost);
        int line = row < 0 ? 0 : lines.rowLine(row);
        int column = row < 0 ? 0 : lines.rowColumn(row);
        sink.frame(name(innermost), file, line, column);
        for (int i = depth - 2; i >= 0; i--) {
            int callee = chain[i + 1];
            int caller = chain[i];
            String callFile = lines == null ? null : lines.filePath(functions.callFile(callee));
            sink.frame(name(caller), callFile, functions.callLine(callee),
                    functions.callColumn(callee));
        }
        return depth;
    }
}
