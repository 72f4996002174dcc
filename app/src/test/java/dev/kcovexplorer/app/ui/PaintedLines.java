package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.RunDiff;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.editor.LineMark;
import java.util.HashMap;
import java.util.Map;

/** What an editor paints, and what the model says it should paint, line by line, for GUI tests to compare. */
final class PaintedLines {
    private PaintedLines() {
    }

    /** Line → mark as the editor's document paints it (paragraph style classes), instrumented lines only. */
    static Map<Integer, LineMark> of(EditorView editor) throws Exception {
        return onFx(() -> {
            Map<Integer, LineMark> painted = new HashMap<>();
            var paragraphs = editor.area().getDocument().getParagraphs();
            for (int i = 0; i < paragraphs.size(); i++) {
                for (LineMark mark : LineMark.values()) {
                    if (mark != LineMark.NOT_INSTRUMENTED && paragraphs.get(i).getParagraphStyle().contains(mark.styleClass())) {
                        painted.put(i + 1, mark);
                    }
                }
            }
            return painted;
        });
    }

    /** Line → mark straight from the model's coverage (or diff) for every coverable line of {@code path}. */
    static Map<Integer, LineMark> expected(Coverage coverage, RunDiff diff, String path) {
        CoverageLayout layout = coverage.layout();
        int file = layout.findFile(path);
        Map<Integer, LineMark> expected = new HashMap<>();
        for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
            LineMark mark = diff != null ? LineMark.valueOf(diff.lineCategory(line).name())
                    : LineMark.valueOf(coverage.lineState(line).name());
            if (mark != LineMark.NOT_INSTRUMENTED) {
                expected.put(layout.lineNumber(line), mark);
            }
        }
        return expected;
    }
}
