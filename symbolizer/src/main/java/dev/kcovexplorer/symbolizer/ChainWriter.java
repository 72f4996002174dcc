package dev.kcovexplorer.symbolizer;

import dev.kcovexplorer.symbolizer.dwarf.FrameSink;
import dev.kcovexplorer.symbolizer.dwarf.UnitSymbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import dev.kcovexplorer.symbolizer.elf.SymbolTable;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker's output: frames of the addresses it symbolized, as string ids and ints. It applies
 * the symbol-table rules (fallback frame, linkage name of the outermost frame) on the way in.
 */
final class ChainWriter implements FrameSink {
    private final StringInterner strings;
    private final Map<String, Integer> localIds = new HashMap<>();
    private final SymbolTable symbols;
    private final int unknownId;
    private int count;
    private int[] function = new int[1024];
    private int[] linkage = new int[1024];
    private int[] file = new int[1024];
    private int[] line = new int[1024];
    private int[] column = new int[1024];

    ChainWriter(StringInterner strings, SymbolTable symbols) {
        this.strings = strings;
        this.symbols = symbols;
        this.unknownId = id(Symbolizer.UNKNOWN);
    }

    int frameCount() {
        return count;
    }

    /** Appends {@code pc}'s frames, from {@code unit} (may be null) and the symbol table. */
    void write(UnitSymbolizer unit, long pc) {
        int start = count;
        if (unit != null) {
            unit.lookup(pc, this);
        }
        ElfSymbol symbol = symbols.symbolFor(pc);
        if (count == start) {
            if (symbol != null) {
                // No DWARF here (crt files, assembly): the symbol names the function, and for a local
                // symbol the STT_FILE before it names the source file, as llvm-symbolizer reports.
                frame(symbol.name(), symbol.sourceFile(), 0, 0);
            }
            return;
        }
        int outer = count - 1;
        if (symbol != null) {
            int symbolId = id(symbol.name());
            if (function[outer] == unknownId) {
                function[outer] = symbolId;
            } else if (function[outer] != symbolId) {
                linkage[outer] = symbolId;
            }
            if (file[outer] == unknownId && symbol.sourceFile() != null) {
                // DWARF gave no call site for the outermost frame (strict DWARF 2 has no call_file).
                file[outer] = id(symbol.sourceFile());
            }
        }
    }

    @Override
    public void frame(String functionName, String fileName, int lineNumber, int columnNumber) {
        if (count == function.length) {
            int n = count * 2;
            function = Arrays.copyOf(function, n);
            linkage = Arrays.copyOf(linkage, n);
            file = Arrays.copyOf(file, n);
            line = Arrays.copyOf(line, n);
            column = Arrays.copyOf(column, n);
        }
        function[count] = functionName == null ? unknownId : id(functionName);
        linkage[count] = FrameTable.NO_LINKAGE;
        file[count] = fileName == null ? unknownId : id(fileName);
        line[count] = lineNumber;
        column[count] = columnNumber;
        count++;
    }

    private int id(String s) {
        Integer id = localIds.get(s);
        if (id == null) {
            id = strings.id(s);
            localIds.put(s, id);
        }
        return id;
    }

    FrameTable toTable(long[] addresses, int[] frameStart, String[] table) {
        return new FrameTable(addresses, frameStart, Arrays.copyOf(function, count), Arrays.copyOf(linkage, count),
                Arrays.copyOf(file, count), Arrays.copyOf(line, count), Arrays.copyOf(column, count), table);
    }

    /**
     * Concatenates the workers' frames in input order, with the strings renumbered in the order the frames first
     * use them: the workers intern strings in whatever order the threads happen to run, and an index built from
     * the same image must be the same bytes every time.
     */
    static FrameTable merge(long[] addresses, ChainWriter[] writers, int[] owner, int[] localStart, int[] localCount,
                            String[] table) {
        int n = addresses.length;
        int total = 0;
        int[] frameStart = new int[n + 1];
        for (int i = 0; i < n; i++) {
            frameStart[i] = total;
            total += localCount[i];
        }
        frameStart[n] = total;
        int[] function = new int[total];
        int[] linkage = new int[total];
        int[] file = new int[total];
        int[] line = new int[total];
        int[] column = new int[total];
        for (int i = 0; i < n; i++) {
            int c = localCount[i];
            if (c == 0) {
                continue;
            }
            ChainWriter w = writers[owner[i]];
            int from = localStart[i];
            int to = frameStart[i];
            System.arraycopy(w.function, from, function, to, c);
            System.arraycopy(w.linkage, from, linkage, to, c);
            System.arraycopy(w.file, from, file, to, c);
            System.arraycopy(w.line, from, line, to, c);
            System.arraycopy(w.column, from, column, to, c);
        }
        String[] strings = inFirstUseOrder(table, function, linkage, file);
        return new FrameTable(addresses.clone(), frameStart, function, linkage, file, line, column, strings);
    }

    /**
     * Renumbers the string ids of the frame columns (in place) by first use, frame by frame, function before
     * linkage before file; strings no frame uses are dropped. Returns the renumbered table.
     */
    private static String[] inFirstUseOrder(String[] table, int[] function, int[] linkage, int[] file) {
        int[] renumbered = new int[table.length];
        Arrays.fill(renumbered, -1);
        String[] strings = new String[table.length];
        int next = 0;
        for (int f = 0; f < function.length; f++) {
            next = renumber(function, f, renumbered, table, strings, next);
            if (linkage[f] != FrameTable.NO_LINKAGE) {
                next = renumber(linkage, f, renumbered, table, strings, next);
            }
            next = renumber(file, f, renumbered, table, strings, next);
        }
        return Arrays.copyOf(strings, next);
    }

    /** Gives {@code column[f]} its new id, the next free one at its first use; returns the next free id. */
    private static int renumber(int[] column, int f, int[] renumbered, String[] table, String[] strings, int next) {
        int old = column[f];
        if (renumbered[old] < 0) {
            renumbered[old] = next;
            strings[next] = table[old];
            next++;
        }
        column[f] = renumbered[old];
        return next;
    }
}
