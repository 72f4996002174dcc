package dev.kcovexplorer.app.model.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.DiffCategory;
import dev.kcovexplorer.app.model.RunDiff;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A run diff for people (text: per-file then per-function +gained/−lost hit points, largest change first)
 * and for tools (JSON: the same deltas plus every file's lines in genhtml's CBC/GBC/LBC/UBC categories).
 */
public final class DiffReport {
    private DiffReport() {
    }

    public static void writeText(RunDiff diff, String baseline, String current, Writer writer) {
        PrintWriter out = new PrintWriter(writer);
        CoverageLayout layout = diff.layout();
        out.printf("A (baseline): %s, %d points hit%n", baseline, diff.baseline().points().hitCount());
        out.printf("B (current):  %s, %d points hit%n", current, diff.current().points().hitCount());
        out.printf("B gained %d points and lost %d%n", diff.gainedPoints(), diff.lostPoints());
        out.println();
        out.println("files, largest change first");
        out.printf("%9s %9s  %s%n", "+gained", "-lost", "path");
        for (RunDiff.Delta d : diff.fileDeltas()) {
            out.printf("%9s %9s  %s%n", "+" + d.gained(), "-" + d.lost(), layout.filePath(d.id()));
        }
        out.println();
        out.println("functions, largest change first");
        out.printf("%9s %9s  %s%n", "+gained", "-lost", "function (path)");
        for (RunDiff.Delta d : diff.functionDeltas()) {
            out.printf("%9s %9s  %s (%s)%n", "+" + d.gained(), "-" + d.lost(), layout.functionName(d.id()),
                    layout.filePath(layout.functionFile(d.id())));
        }
        out.flush();
    }

    /** Files with any line hit on either side (all-UBC files are left out), changed files first. */
    public static void writeJson(RunDiff diff, String baseline, String current, Writer out) throws IOException {
        CoverageLayout layout = diff.layout();
        List<Integer> files = new ArrayList<>();
        boolean[] listed = new boolean[layout.fileCount()];
        for (RunDiff.Delta d : diff.fileDeltas()) {
            files.add(d.id());
            listed[d.id()] = true;
        }
        for (int file = 0; file < layout.fileCount(); file++) {
            if (!listed[file] && diff.lineNumbers(file, DiffCategory.CBC).length > 0) {
                files.add(file);
            }
        }
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeStringField("baseline", baseline);
            json.writeStringField("current", current);
            json.writeArrayFieldStart("files");
            for (int file : files) {
                json.writeStartObject();
                json.writeStringField("path", layout.filePath(file));
                json.writeNumberField("gained", diff.fileGained(file));
                json.writeNumberField("lost", diff.fileLost(file));
                json.writeObjectFieldStart("lines");
                for (DiffCategory category : DiffCategory.values()) {
                    int[] lines = diff.lineNumbers(file, category);
                    json.writeFieldName(category.name());
                    json.writeArray(lines, 0, lines.length);
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("functions");
            for (RunDiff.Delta d : diff.functionDeltas()) {
                json.writeStartObject();
                json.writeStringField("name", layout.functionName(d.id()));
                json.writeStringField("path", layout.filePath(layout.functionFile(d.id())));
                json.writeNumberField("gained", d.gained());
                json.writeNumberField("lost", d.lost());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }
}
