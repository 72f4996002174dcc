package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.StatusBar;

/** The status bar: task progress with a cancel button, coverage and attribution figures, the newest warning. */
final class StatusView {
    private final StatusBar bar = new StatusBar();

    StatusView(MainViewModel model) {
        BackgroundTasks tasks = model.tasks();
        bar.textProperty().bind(Bindings.when(tasks.busyProperty()).then(tasks.messageProperty()).otherwise("Ready"));
        bar.progressProperty().bind(Bindings.when(tasks.busyProperty())
                .then(tasks.progressProperty()).otherwise(0.0));
        Button cancel = new Button("Cancel");
        cancel.getStyleClass().add("status-cancel");
        cancel.setOnAction(e -> tasks.cancelAll());
        cancel.visibleProperty().bind(tasks.busyProperty());
        cancel.managedProperty().bind(tasks.busyProperty());

        Label figures = new Label();
        figures.getStyleClass().add("status-figures");
        figures.textProperty().bind(model.figuresProperty());

        Label warning = new Label();
        warning.getStyleClass().add("status-warning");
        warning.textProperty().bind(Bindings.when(model.warningProperty().isEmpty()).then("")
                .otherwise(Bindings.concat("\u26A0 ", model.warningProperty())));
        warning.setMaxWidth(520);
        Tooltip full = new Tooltip();
        full.textProperty().bind(model.warningProperty());
        warning.setTooltip(full);
        warning.setOnMouseClicked(e -> model.dismissWarning());

        bar.getLeftItems().add(cancel);
        bar.getRightItems().addAll(warning, figures);
    }

    StatusBar node() {
        return bar;
    }
}
