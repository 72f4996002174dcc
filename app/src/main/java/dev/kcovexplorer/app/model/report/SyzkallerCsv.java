package dev.kcovexplorer.app.model.report;

import dev.kcovexplorer.app.model.Aggregate;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * syzkaller's {@code funccover} and {@code filecover} CSV files, same columns and quoting, so scripts
 * written for {@code syz-cover} read ours. Module is empty for the kernel image, as in syzkaller.
 * Differences, by design: functions are (name, file) at every inline level, so an inlined header
 * function has its own row; TotalLines counts coverable lines (lines with a point), which needs no sources.
 */
public final class SyzkallerCsv {
    public static final String FUNCTIONS_HEADER = "Module,Filename,Function,Covered PCs,Total PCs";
    public static final String FILES_HEADER = "Module,Filename,CoveredLines,TotalLines,CoveredPCs,TotalPCs,"
            + "TotalFunctions,CoveredPCsInFunctions,TotalPCsInFunctions,TotalPCsInCoveredFunctions";
    private static final String KERNEL_MODULE = "";

    private SyzkallerCsv() {
    }

    /** One row per function, sorted by file then function name. */
    public static void writeFunctions(Coverage coverage, Writer out) throws IOException {
        CoverageLayout layout = coverage.layout();
        List<Integer> functions = new ArrayList<>();
        for (int f = 0; f < layout.functionCount(); f++) {
            functions.add(f);
        }
        functions.sort(Comparator.comparing((Integer f) -> layout.filePath(layout.functionFile(f)))
                .thenComparing(layout::functionName));
        out.write(FUNCTIONS_HEADER + "\n");
        for (int f : functions) {
            Aggregate aggregate = coverage.function(f);
            row(out, KERNEL_MODULE, layout.filePath(layout.functionFile(f)), layout.functionName(f),
                    Integer.toString(aggregate.coveredPoints()), Integer.toString(aggregate.points()));
        }
        out.flush();
    }

    /** One row per file, sorted by name. */
    public static void writeFiles(Coverage coverage, Writer out) throws IOException {
        CoverageLayout layout = coverage.layout();
        out.write(FILES_HEADER + "\n");
        for (int file = 0; file < layout.fileCount(); file++) {
            Aggregate aggregate = coverage.file(file);
            long coveredInFunctions = 0;
            long pointsInFunctions = 0;
            long pointsInCoveredFunctions = 0;
            for (int f = layout.fileFunctionStart(file); f < layout.fileFunctionEnd(file); f++) {
                Aggregate function = coverage.function(f);
                coveredInFunctions += function.coveredPoints();
                pointsInFunctions += function.points();
                if (function.coveredPoints() > 0) {
                    pointsInCoveredFunctions += function.points();
                }
            }
            row(out, KERNEL_MODULE, layout.filePath(file), Integer.toString(aggregate.coveredLines()),
                    Integer.toString(aggregate.lines()), Integer.toString(aggregate.coveredPoints()),
                    Integer.toString(aggregate.points()),
                    Integer.toString(layout.fileFunctionEnd(file) - layout.fileFunctionStart(file)),
                    Long.toString(coveredInFunctions), Long.toString(pointsInFunctions),
                    Long.toString(pointsInCoveredFunctions));
        }
        out.flush();
    }

    private static void row(Writer out, String... fields) throws IOException {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(fields[i]));
        }
        out.write('\n');
    }

    /** Go's encoding/csv rule: quote fields with a comma, quote, line break, or a leading space. */
    static String quote(String field) {
        boolean needs = !field.isEmpty() && (field.charAt(0) == ' ' || field.charAt(0) == '\t')
                || field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0;
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
