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
    private LcovReport() {
    }

    public static void write(Coverage coverage, Path sourceRoot, String testName, Writer out) throws IOException {
        CoverageLayout layout = coverage.layout();
        out.write("TN:" + (testName == null ? "" : testName.replaceAll("[^A-Za-z0-9_]", "_")) + "\n");
        for (int file = 0; file < layout.fileCount(); file++) {
            String path = layout.filePath(file);
            String sf = sourceRoot == null || path.startsWith("/") ? path
                    : sourceRoot.toAbsolutePath().resolve(path).normalize().toString();
            out.write("SF:" + sf + "\n");
            int functions = 0;
            int functionsHit = 0;
            for (int f = layout.fileFunctionStart(file); f < layout.fileFunctionEnd(file); f++) {
                if (layout.functionFirstLine(f) > 0) {
                    out.write("FN:" + layout.functionFirstLine(f) + "," + layout.functionName(f) + "\n");
                }
            }
            for (int f = layout.fileFunctionStart(file); f < layout.fileFunctionEnd(file); f++) {
                if (layout.functionFirstLine(f) > 0) {
                    long hits = coverage.functionHits(f);
                    out.write("FNDA:" + hits + "," + layout.functionName(f) + "\n");
                    functions++;
                    functionsHit += hits > 0 ? 1 : 0;
                }
            }
            out.write("FNF:" + functions + "\n");
            out.write("FNH:" + functionsHit + "\n");
            int linesHit = 0;
            for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
                long hits = coverage.lineHits(line);
                out.write("DA:" + layout.lineNumber(line) + "," + hits + "\n");
                linesHit += hits > 0 ? 1 : 0;
            }
            out.write("LF:" + layout.fileLineCount(file) + "\n");
            out.write("LH:" + linesHit + "\n");
            out.write("end_of_record\n");
        }
        out.flush();
    }
}
