package dev.kcovexplorer.app.model;

/**
 * The part of the kernel a curve counts: everything, the files under a path (a directory or one file), or
 * one function. A point is in scope when a frame of its inline chain is in a file of the scope (for a
 * function: when the function is one of its chain's levels); a line when it is a line of such a file (of the
 * function).
 */
public final class CoverageScope {
    private final String description;
    /** Per file: in scope; null = every file. */
    private final boolean[] files;
    /** The function of a function scope, or -1. */
    private final int function;
    /** Per line: in scope; null = every line. */
    private final boolean[] lines;

    private CoverageScope(String description, boolean[] files, int function, boolean[] lines) {
        this.description = description;
        this.files = files;
        this.function = function;
        this.lines = lines;
    }

    public static CoverageScope kernel() {
        return new CoverageScope("whole kernel", null, -1, null);
    }

    /**
     * The files whose path is {@code prefix} or lies below it, path component by component:
     * {@code drivers/usb/core} (or {@code drivers/usb/core/}) holds {@code drivers/usb/core/hub.c}, not
     * {@code drivers/usb/core2/x.c}. A blank prefix is the whole kernel.
     */
    public static CoverageScope path(CoverageLayout layout, String prefix) {
        String trimmed = prefix == null ? "" : prefix.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return kernel();
        }
        boolean[] files = new boolean[layout.fileCount()];
        for (int f = 0; f < files.length; f++) {
            String path = layout.filePath(f);
            files[f] = path.equals(trimmed) || path.startsWith(trimmed + "/");
        }
        boolean[] lines = new boolean[layout.lineCount()];
        for (int f = 0; f < files.length; f++) {
            if (files[f]) {
                java.util.Arrays.fill(lines, layout.fileLineStart(f), layout.fileLineEnd(f), true);
            }
        }
        return new CoverageScope(trimmed, files, -1, lines);
    }

    /** Whether this is a path scope that no file of its layout is in or under. */
    public boolean holdsNoFile() {
        if (files == null || function >= 0) {
            return false;
        }
        for (boolean in : files) {
            if (in) {
                return false;
            }
        }
        return true;
    }

    /** One function (an id of {@code layout}). */
    public static CoverageScope function(CoverageLayout layout, int function) {
        boolean[] lines = new boolean[layout.lineCount()];
        Csr functionLines = layout.functionLinesTable();
        for (int i = functionLines.start[function]; i < functionLines.start[function + 1]; i++) {
            lines[functionLines.values[i]] = true;
        }
        return new CoverageScope(layout.functionName(function) + "()", null, function, lines);
    }

    /** "whole kernel", "drivers/usb/core", "hub_event()". */
    public String description() {
        return description;
    }

    boolean containsPoint(CoverageLayout layout, int point) {
        Csr table = function >= 0 ? layout.pointFunctionsTable() : files != null ? layout.pointFilesTable() : null;
        if (table == null) {
            return true;
        }
        for (int i = table.start[point]; i < table.start[point + 1]; i++) {
            int value = table.values[i];
            if (function >= 0 ? value == function : files[value]) {
                return true;
            }
        }
        return false;
    }

    boolean containsLine(int line) {
        return lines == null || lines[line];
    }
}
