package dev.kcovexplorer.app.ui;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** An IDE tool window frame: a header with a title and a subtitle, then its content. */
final class ToolWindow extends VBox {
    private final Label subtitle = new Label();

    ToolWindow(String title, Node content) {
        getStyleClass().add("tool-window");
        Label name = new Label(title);
        name.getStyleClass().add("tool-title");
        subtitle.getStyleClass().add("tool-subtitle");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, name, spacer, subtitle);
        header.getStyleClass().add("tool-header");
        VBox.setVgrow(content, Priority.ALWAYS);
        getChildren().addAll(header, content);
    }

    Label subtitle() {
        return subtitle;
    }
}
