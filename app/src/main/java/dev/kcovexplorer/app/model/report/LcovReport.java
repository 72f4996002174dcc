package dev.kcovexplorer.app.model.report;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * An LCOV tracefile (what genhtml and VS Code's Coverage Gutters read): per source file its functions
 * ({@code FN} at the function's first line with a point, {@code FNDA} with the hits of its most hit
 * point), and a {@code DA} record per coverable line with the trace occurrences of its points.
 * {@code SF} is the path under {@code sourceRoot} when one is given, else relative to the source root.
 */
public final class LcovReport {
    private static final int FLUSH_AT = 1 << 16;

    private LcovReport() {
    }

    public static void write(Coverage coverage, Path sourceRoot, String testName, Writer out) throws IOException {
        CoverageLayout layout = coverage.layout();
        // Records are assembled in one buffer written out in large pieces: a kernel's report has ~600k of them.
        StringBuilder text = new StringBuilder(FLUSH_AT + 4096);
        text.append("TN:").append(testName == null ? "" : testName.replaceAll("[^A-Za-z0-9_]", "_")).append('\n');
        for (int file = 0; file < layout.fileCount(); file++) {
            String path = layout.filePath(file);
            String sf = sourceRoot == null || path.startsWith("/") ? path
                    : sourceRoot.toAbsolutePath().resolve(path).normalize().toString();
            text.append("SF:").append(sf).append('\n');
            int functions = 0;
            int functionsHit = 0;
            for (int f = layout.fileFunctionStart(file); f < layout.fileFunctionEnd(file); f++) {
                if (layout.functionFirstLine(f) > 0) {
                    text.append("FN:").append(layout.functionFirstLine(f)).append(',').append(layout.functionName(f))
                            .append('\n');
                }
            }
            for (int f = layout.fileFunctionStart(file); f < layout.fileFunctionEnd(file); f++) {
                if (layout.functionFirstLine(f) > 0) {
                    long hits = coverage.functionHits(f);
                    text.append("FNDA:").append(hits).append(',').append(layout.functionName(f)).append('\n');
                    functions++;
                    functionsHit += hits > 0 ? 1 : 0;
                }
            }
            text.append("FNF:").append(functions).append('\n');
            text.append("FNH:").append(functionsHit).append('\n');
            int linesHit = 0;
            for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
                long hits = coverage.lineHits(line);
                text.append("DA:").append(layout.lineNumber(line)).append(',').append(hits).append('\n');
                linesHit += hits > 0 ? 1 : 0;
                if (text.length() >= FLUSH_AT) {
                    out.append(text);
                    text.setLength(0);
                }
            }
            text.append("LF:").append(layout.fileLineCount(file)).append('\n');
            text.append("LH:").append(linesHit).append('\n');
            text.append("end_of_record\n");
        }
        out.append(text);
        out.flush();
    }
}
