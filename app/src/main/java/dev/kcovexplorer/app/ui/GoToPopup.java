package dev.kcovexplorer.app.ui;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import javafx.stage.Window;

/** IntelliJ's "Go to file / function" popup: type to narrow, arrows to pick, Enter to go, Esc to leave. */
final class GoToPopup<T> {
    private final Popup popup = new Popup();
    private final TextField query = new TextField();
    private final ListView<T> matches = new ListView<>();
    /** The shortcut that opened the popup may still deliver its character (Ctrl+Alt+Shift+N types 'N'). */
    private boolean swallowOpeningKey;

    GoToPopup(String title, Function<String, List<T>> search, Function<T, String> primary,
              Function<T, String> secondary, Consumer<T> go) {
        Label heading = new Label(title);
        heading.getStyleClass().add("tool-title");
        query.setPromptText("Type a name");
        matches.setPrefSize(620, 320);
        matches.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    return;
                }
                String extra = secondary.apply(item);
                setText(extra == null || extra.isEmpty() ? primary.apply(item) : primary.apply(item) + "    " + extra);
            }
        });
        query.textProperty().addListener((obs, old, text) -> {
            matches.getItems().setAll(search.apply(text));
            matches.getSelectionModel().selectFirst();
        });
        Runnable accept = () -> {
            T chosen = matches.getSelectionModel().getSelectedItem();
            popup.hide();
            if (chosen != null) {
                go.accept(chosen);
            }
        };
        query.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DOWN) {
                matches.getSelectionModel().selectNext();
                e.consume();
            } else if (e.getCode() == KeyCode.UP) {
                matches.getSelectionModel().selectPrevious();
                e.consume();
            } else if (e.getCode() == KeyCode.ENTER) {
                accept.run();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                popup.hide();
            }
        });
        matches.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                accept.run();
            }
        });
        VBox box = new VBox(6, heading, query, matches);
        box.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if (swallowOpeningKey) {
                e.consume();
            }
        });
        box.addEventFilter(KeyEvent.KEY_RELEASED, e -> swallowOpeningKey = false);
        box.getStyleClass().add("goto-popup");
        popup.getContent().add(box);
        popup.setAutoHide(true);
    }

    void show(Window owner) {
        swallowOpeningKey = true;
        query.setText("");
        matches.getItems().setAll(List.of());
        popup.show(owner, owner.getX() + owner.getWidth() / 2 - 320, owner.getY() + 120);
        query.requestFocus();
    }

    boolean isShowing() {
        return popup.isShowing();
    }

}
