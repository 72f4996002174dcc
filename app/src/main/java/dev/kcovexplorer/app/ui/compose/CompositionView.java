package dev.kcovexplorer.app.ui.compose;

import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.tip.HoverTip;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** The composition bar: expression field with live validation, Diff toggle with A and B, and the legend. */
public final class CompositionView extends HBox {
    private final TextField expression = new TextField();
    private final ToggleButton diff = new ToggleButton("Diff");
    private final ComboBox<String> baseline = new ComboBox<>();
    private final ComboBox<String> current = new ComboBox<>();

    public CompositionView(CompositionViewModel model) {
        super(8);
        getStyleClass().add("composition-bar");
        Label title = new Label("Coverage of");
        title.getStyleClass().add("bar-title");

        expression.setPromptText("all visible runs   (e.g.  usb_keyboard | vhost_net,  A - B,  (A ^ B) & C)");
        expression.getStyleClass().add("expression-field");
        expression.textProperty().bindBidirectional(model.expressionProperty());
        HBox.setHgrow(expression, Priority.ALWAYS);
        Label status = new Label();
        status.getStyleClass().add("expression-status");
        status.textProperty().bind(Bindings.when(model.validProperty()).then("\u2714").otherwise("\u26A0"));
        HoverTip.install(status, model.problemProperty());
        Label problemText = new Label();
        problemText.getStyleClass().add("expression-problem");
        problemText.textProperty().bind(model.problemProperty());
        model.validProperty().addListener((obs, old, ok) -> {
            expression.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("invalid"), !ok);
            status.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("invalid"), !ok);
        });

        diff.selectedProperty().bindBidirectional(model.diffModeProperty());
        diff.getStyleClass().add("diff-toggle");
        HoverTip.install(diff, "Compare A (baseline) with B: lines gained, lost, kept, never covered");
        for (ComboBox<String> side : List.of(baseline, current)) {
            side.setItems(model.runLabels());
            side.setEditable(true);
            side.setPrefWidth(170);
            side.getStyleClass().add("diff-side");
        }
        baseline.setPromptText("A (baseline)");
        current.setPromptText("B (current)");
        baseline.valueProperty().bindBidirectional(model.baselineProperty());
        current.valueProperty().bindBidirectional(model.currentProperty());
        Label arrow = new Label("A \u2192 B");
        arrow.getStyleClass().add("bar-title");
        HBox diffControls = new HBox(6, baseline, arrow, current);
        diffControls.getStyleClass().add("diff-controls");
        diffControls.visibleProperty().bind(model.diffModeProperty());
        diffControls.managedProperty().bind(model.diffModeProperty());
        expression.disableProperty().bind(model.diffModeProperty());
        Label note = new Label();
        note.getStyleClass().add("diff-note");
        note.textProperty().bind(Bindings.when(model.diffNoteProperty().isEmpty()).then("")
                .otherwise(Bindings.concat("\u26A0 ", model.diffNoteProperty())));
        note.setMaxWidth(480);
        HoverTip.install(note, model.diffNoteProperty());
        note.visibleProperty().bind(model.diffNoteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());

        HBox legend = new HBox(10);
        legend.getStyleClass().add("legend");
        legend.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        fillLegend(legend, model.legendProperty().get());
        model.legendProperty().addListener((obs, old, marks) -> fillLegend(legend, marks));

        getChildren().addAll(title, expression, status, problemText, diff, diffControls, note, legend);
        setAlignment(javafx.geometry.Pos.CENTER_LEFT);
    }

    public TextField expressionField() {
        return expression;
    }

    public ToggleButton diffToggle() {
        return diff;
    }

    private static void fillLegend(HBox box, List<LineMark> marks) {
        box.getChildren().clear();
        for (LineMark mark : marks) {
            Region swatch = new Region();
            swatch.getStyleClass().addAll("legend-swatch", mark.styleClass());
            Label glyph = new Label(mark.glyph());
            glyph.getStyleClass().addAll("legend-glyph", mark.styleClass());
            Label name = new Label(mark.legendName());
            name.getStyleClass().add("legend-name");
            HoverTip.install(name, mark.description());
            HBox item = new HBox(3, (Node) swatch, glyph, name);
            item.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            box.getChildren().add(item);
        }
    }
}
