package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.app.ui.tip.HoverTip;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.util.Duration;
import org.controlsfx.control.StatusBar;

/** The status bar: task progress with a cancel button, coverage and attribution figures, the newest warning. */
final class StatusView {
    private static final Duration SHOW_AFTER = Duration.millis(400);
    private final StatusBar bar = new StatusBar();

    StatusView(MainViewModel model) {
        BackgroundTasks tasks = model.tasks();
        BooleanProperty busy = busyForAWhile(tasks);
        bar.textProperty().bind(Bindings.when(busy).then(tasks.messageProperty()).otherwise("Ready"));
        bar.progressProperty().bind(Bindings.when(busy).then(tasks.progressProperty()).otherwise(0.0));
        Button cancel = new Button("Cancel");
        cancel.getStyleClass().add("status-cancel");
        cancel.setOnAction(e -> tasks.cancelAll());
        cancel.visibleProperty().bind(busy);
        cancel.managedProperty().bind(busy);

        Label figures = new Label();
        figures.getStyleClass().add("status-figures");
        figures.textProperty().bind(model.figuresProperty());

        Label warning = new Label();
        warning.getStyleClass().add("status-warning");
        warning.textProperty().bind(Bindings.when(model.warningProperty().isEmpty()).then("")
                .otherwise(Bindings.concat("\u26A0 ", model.warningProperty())));
        warning.setMaxWidth(520);
        HoverTip.install(warning, model.warningProperty());
        warning.setOnMouseClicked(e -> model.dismissWarning());

        Label live = new Label();
        live.getStyleClass().add("status-live");
        live.textProperty().bind(model.liveStatusProperty());

        Label caret = new Label();
        caret.getStyleClass().add("status-caret");
        model.editors().selectedProperty().addListener((obs, old, editor) -> showCaret(caret, editor));
        showCaret(caret, model.editors().selected());

        bar.getLeftItems().add(cancel);
        bar.getRightItems().addAll(warning, live, figures, caret);
    }

    /** line:column of the selected editor's caret, as IDEs show it; nothing without an editor. */
    private static void showCaret(Label caret, EditorViewModel editor) {
        caret.textProperty().unbind();
        if (editor == null) {
            caret.setText("");
            return;
        }
        caret.textProperty().bind(Bindings.concat(editor.caretLineProperty(), ":", editor.caretColumnProperty()));
    }

    /**
     * Busy once work has run for {@link #SHOW_AFTER}: quick tasks (a live update every 150 ms, an editor
     * restyle) would otherwise make the progress bar and Cancel flicker. Idle at once when work ends.
     */
    private static BooleanProperty busyForAWhile(BackgroundTasks tasks) {
        BooleanProperty shown = new SimpleBooleanProperty(false);
        PauseTransition delay = new PauseTransition(SHOW_AFTER);
        delay.setOnFinished(e -> shown.set(tasks.busyProperty().get()));
        tasks.busyProperty().addListener((obs, was, busy) -> {
            if (busy) {
                delay.playFromStart();
            } else {
                delay.stop();
                shown.set(false);
            }
        });
        return shown;
    }

    StatusBar node() {
        return bar;
    }
}
