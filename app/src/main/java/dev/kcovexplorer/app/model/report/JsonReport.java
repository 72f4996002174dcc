package dev.kcovexplorer.app.model.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kcovexplorer.app.model.Aggregate;
import dev.kcovexplorer.app.model.AttributionFigures;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.LineState;
import dev.kcovexplorer.app.model.SessionRun;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The JSON report: per file its points and the sorted 1-based line numbers in each state, per function
 * its points, and the attribution figures (summed, and per run); with CMP runs, per file also the lines
 * by their comparison sites (reached, partly, not). Streamed, so a whole kernel's report
 * never sits in memory as a tree.
 */
public final class JsonReport {
    private static final LineState[] LISTED = {
        LineState.COVERED, LineState.PARTIAL, LineState.UNCOVERED, LineState.NOT_EXECUTED, LineState.EXCLUDED,
        LineState.OUTSIDE_REMOTE,
    };

    private JsonReport() {
    }

    public static void write(Coverage coverage, List<SessionRun> runs, Writer out) throws IOException {
        write(coverage, runs, null, out);
    }

    /**
     * @param comparisons the CMP runs' coverage on the comparison sites, or null: per file, the lines whose
     *                    comparison sites were all reached, some, or none
     */
    public static void write(Coverage coverage, List<SessionRun> runs, Coverage comparisons, Writer out)
            throws IOException {
        CoverageLayout layout = coverage.layout();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeArrayFieldStart("files");
            for (int file = 0; file < layout.fileCount(); file++) {
                Aggregate aggregate = coverage.file(file);
                json.writeStartObject();
                json.writeStringField("path", layout.filePath(file));
                json.writeNumberField("points", aggregate.points());
                json.writeNumberField("coveredPoints", aggregate.coveredPoints());
                json.writeObjectFieldStart("lines");
                for (LineState state : LISTED) {
                    int[] lines = coverage.lineNumbers(file, state);
                    json.writeFieldName(state.jsonName());
                    json.writeArray(lines, 0, lines.length);
                }
                json.writeEndObject();
                if (comparisons != null) {
                    writeComparisonLines(json, comparisons, layout.filePath(file));
                }
                json.writeEndObject();
            }
            if (comparisons != null && comparisons.layout() != layout) {
                writeComparisonOnlyFiles(json, comparisons, layout);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("functions");
            for (int f = 0; f < layout.functionCount(); f++) {
                Aggregate aggregate = coverage.function(f);
                json.writeStartObject();
                json.writeStringField("name", layout.functionName(f));
                json.writeStringField("path", layout.filePath(layout.functionFile(f)));
                json.writeNumberField("points", aggregate.points());
                json.writeNumberField("coveredPoints", aggregate.coveredPoints());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeFieldName("attribution");
            writeAttribution(json, runs);
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    /**
     * Files with comparison sites but no coverage point (a file built with trace-cmp alone): no points and no
     * line states, only their comparison lines.
     */
    private static void writeComparisonOnlyFiles(JsonGenerator json, Coverage comparisons, CoverageLayout pcLayout)
            throws IOException {
        CoverageLayout layout = comparisons.layout();
        for (int file = 0; file < layout.fileCount(); file++) {
            String path = layout.filePath(file);
            if (pcLayout.findFile(path) >= 0) {
                continue;
            }
            json.writeStartObject();
            json.writeStringField("path", path);
            json.writeNumberField("points", 0);
            json.writeNumberField("coveredPoints", 0);
            json.writeObjectFieldStart("lines");
            for (LineState state : LISTED) {
                json.writeFieldName(state.jsonName());
                json.writeArray(new int[0], 0, 0);
            }
            json.writeEndObject();
            writeComparisonLines(json, comparisons, path);
            json.writeEndObject();
        }
    }

    /** {@code "comparisons":{"reached":[…],"partial":[…],"unreached":[…]}}: lines by their comparison sites. */
    private static void writeComparisonLines(JsonGenerator json, Coverage comparisons, String path) throws IOException {
        int file = comparisons.layout().findFile(path);
        json.writeObjectFieldStart("comparisons");
        int[] reached = file < 0 ? new int[0] : comparisons.lineNumbers(file, LineState.COVERED);
        int[] partial = file < 0 ? new int[0] : comparisons.lineNumbers(file, LineState.PARTIAL);
        int[] unreached = file < 0 ? new int[0] : IntStream.concat(
                Arrays.stream(comparisons.lineNumbers(file, LineState.UNCOVERED)),
                Arrays.stream(comparisons.lineNumbers(file, LineState.NOT_EXECUTED))).sorted().toArray();
        json.writeFieldName("reached");
        json.writeArray(reached, 0, reached.length);
        json.writeFieldName("partial");
        json.writeArray(partial, 0, partial.length);
        json.writeFieldName("unreached");
        json.writeArray(unreached, 0, unreached.length);
        json.writeEndObject();
    }

    private static void writeAttribution(JsonGenerator json, List<SessionRun> runs) throws IOException {
        AttributionFigures total = null;
        for (SessionRun run : runs) {
            total = total == null ? run.figures() : total.plus(run.figures());
        }
        json.writeStartObject();
        if (total != null) {
            writeFigures(json, total);
        }
        json.writeArrayFieldStart("runs");
        for (SessionRun run : runs) {
            json.writeStartObject();
            json.writeStringField("label", run.label());
            json.writeStringField("file", run.sourceFile());
            json.writeStringField("remoteSource", run.remoteSource());
            json.writeStringField("mode", run.mode());
            writeFigures(json, run.figures());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeFigures(JsonGenerator json, AttributionFigures f) throws IOException {
        json.writeStringField("pcKind", f.reading().id());
        json.writeNumberField("uniquePcs", f.uniquePcs());
        json.writeNumberField("matched", f.matched());
        json.writeNumberField("attributedExact", f.attributedExact());
        json.writeNumberField("attributedCandidates", f.attributedCandidates());
        json.writeNumberField("unresolved", f.unresolved());
        json.writeObjectFieldStart("unresolvedReasons");
        for (var reason : f.unresolvedReasons().entrySet()) {
            json.writeNumberField(reason.getKey(), reason.getValue());
        }
        json.writeEndObject();
        if (f.warning() != null) {
            json.writeStringField("warning", f.warning());
        }
    }
}
