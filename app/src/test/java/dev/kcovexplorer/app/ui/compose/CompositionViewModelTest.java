package dev.kcovexplorer.app.ui.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.editor.LineMark;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositionViewModelTest {
    /** Accepts the two labels and '|' between them; the real grammar is the model's, tested there. */
    private static final ExpressionValidator TWO_RUNS = text -> {
        for (String word : text.split("\\s*\\|\\s*")) {
            if (!List.of("usb", "vhost").contains(word)) {
                return "unknown run '" + word + "' at column " + (text.indexOf(word) + 1);
            }
        }
        return null;
    };

    @Test
    void validInputIsPublishedAndInvalidInputKeepsTheLastValidComposition() {
        CompositionViewModel model = new CompositionViewModel();
        model.setRuns(List.of("usb", "vhost"), List.of("pc", "pc"), TWO_RUNS);
        model.expressionProperty().set("usb | vhost");
        assertThat(model.validProperty().get()).isTrue();
        assertThat(model.compositionProperty().get().expression()).isEqualTo("usb | vhost");

        model.expressionProperty().set("usb | vhots");
        assertThat(model.validProperty().get()).isFalse();
        assertThat(model.problemProperty().get()).isEqualTo("unknown run 'vhots' at column 7");
        assertThat(model.compositionProperty().get().expression()).isEqualTo("usb | vhost");
    }

    @Test
    void diffDefaultsToTheFirstTwoRunsAndChecksBothSides() {
        CompositionViewModel model = new CompositionViewModel();
        model.setRuns(List.of("usb", "vhost"), List.of("pc", "pc"), TWO_RUNS);
        model.diffModeProperty().set(true);
        assertThat(model.compositionProperty().get()).isEqualTo(new Composition("", true, "usb", "vhost"));
        model.currentProperty().set("nope");
        assertThat(model.problemProperty().get()).isEqualTo("B: unknown run 'nope' at column 1");
        model.showDiff("vhost", "usb");
        assertThat(model.compositionProperty().get()).isEqualTo(new Composition("", true, "vhost", "usb"));
    }

    /** The diff's note follows the sides shown, only in diff mode, and a side that does not parse keeps the last. */
    @Test
    void theDiffNoteIsTheShownSidesOnlyInDiffMode() {
        CompositionViewModel model = new CompositionViewModel();
        model.setDiffNotes((a, b) -> a.equals("usb") && b.equals("vhost") ? "usb ends at 180 s, vhost at 300 s" : null);
        model.setRuns(List.of("usb", "vhost"), List.of("pc", "pc"), TWO_RUNS);
        assertThat(model.diffNoteProperty().get()).isEmpty();
        model.diffModeProperty().set(true);
        assertThat(model.diffNoteProperty().get()).isEqualTo("usb ends at 180 s, vhost at 300 s");
        model.currentProperty().set("nope");
        assertThat(model.diffNoteProperty().get()).as("the diff shown is still usb against vhost")
                .isEqualTo("usb ends at 180 s, vhost at 300 s");
        model.showDiff("vhost", "usb");
        assertThat(model.diffNoteProperty().get()).isEmpty();
        model.showDiff("usb", "vhost");
        model.diffModeProperty().set(false);
        assertThat(model.diffNoteProperty().get()).isEmpty();
    }

    @Test
    void diffDefaultsToTwoRunsOfTheSameModeInLoadOrder() {
        // The demo's order: each PC run is followed by its comparison-mode twin.
        List<String> labels = List.of("usb_keyboard", "usb_keyboard_cmp", "usb_storage", "usb_storage_cmp");
        List<String> modes = List.of("pc", "cmp", "pc", "cmp");
        CompositionViewModel model = new CompositionViewModel();
        model.setRuns(labels, modes, text -> labels.contains(text) ? null : "unknown run '" + text + "'");
        model.diffModeProperty().set(true);
        assertThat(model.compositionProperty().get())
                .isEqualTo(new Composition("", true, "usb_keyboard", "usb_storage"));
    }

    @Test
    void diffFallsBackToTheFirstTwoRunsWhenNoModeHasTwo() {
        CompositionViewModel model = new CompositionViewModel();
        model.setRuns(List.of("usb", "vhost"), List.of("cmp", "pc"), TWO_RUNS);
        model.diffModeProperty().set(true);
        assertThat(model.compositionProperty().get()).isEqualTo(new Composition("", true, "usb", "vhost"));
    }

    @Test
    void legendNamesExcludedLinesOnlyWhileAnExpressionCanTakeLinesAway() {
        CompositionViewModel model = new CompositionViewModel();
        model.setRuns(List.of("usb", "vhost"), List.of("pc", "pc"), TWO_RUNS);
        assertThat(model.legendProperty().get()).doesNotContain(LineMark.EXCLUDED).contains(LineMark.UNCOVERED);
        model.expressionProperty().set("usb | vhost");
        assertThat(model.legendProperty().get()).contains(LineMark.EXCLUDED);
        assertThat(LineMark.EXCLUDED.legendName()).isEqualTo("excluded by the expression");
        model.diffModeProperty().set(true);
        assertThat(model.legendProperty().get()).containsExactly(LineMark.CBC, LineMark.GBC, LineMark.LBC, LineMark.UBC);
    }

    @Test
    void blankExpressionMeansAllVisibleRuns() {
        CompositionViewModel model = new CompositionViewModel();
        model.setRuns(List.of("usb"), List.of("pc"), TWO_RUNS);
        model.expressionProperty().set("   ");
        assertThat(model.validProperty().get()).isTrue();
        assertThat(model.compositionProperty().get().expression()).isEmpty();
    }
}
