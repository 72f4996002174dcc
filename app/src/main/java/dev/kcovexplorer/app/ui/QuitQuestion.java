package dev.kcovexplorer.app.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * Asked before the window closes with live coverage the session file does not hold yet (the live run grew,
 * or a run was frozen from it, since the session was opened or saved): that coverage exists nowhere else.
 * Shown without blocking; the answer runs {@code save} or {@code quit}, Cancel runs nothing.
 */
final class QuitQuestion {
    static final ButtonType SAVE = new ButtonType("Save\u2026", ButtonBar.ButtonData.YES);
    static final ButtonType QUIT = new ButtonType("Quit Without Saving", ButtonBar.ButtonData.NO);

    private QuitQuestion() {
    }

    static void ask(Window owner, Runnable save, Runnable quit) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                "The live runs exist only in this window: quitting now loses the coverage collected since the "
                        + "session was last saved.", SAVE, QUIT, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle("Quit KCOV Explorer");
        alert.setHeaderText("Save the live runs before quitting?");
        alert.getDialogPane().getStyleClass().add("quit-question");
        alert.setOnHidden(e -> {
            ButtonType answer = alert.getResult();
            if (answer == SAVE) {
                save.run();
            } else if (answer == QUIT) {
                quit.run();
            }
        });
        alert.show();
    }
}
