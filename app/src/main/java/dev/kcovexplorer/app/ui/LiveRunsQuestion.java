package dev.kcovexplorer.app.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * Asked before the window quits, or replaces its session by another, with live coverage the session file
 * does not hold yet (the live run grew, or a run was frozen from it, since the session was opened or saved):
 * that coverage exists nowhere else. Shown without blocking; the answer runs {@code save} or {@code proceed},
 * Cancel runs nothing.
 */
final class LiveRunsQuestion {
    static final ButtonType SAVE = new ButtonType("Save\u2026", ButtonBar.ButtonData.YES);
    static final ButtonType QUIT = new ButtonType("Quit Without Saving", ButtonBar.ButtonData.NO);
    static final ButtonType OPEN = new ButtonType("Open Without Saving", ButtonBar.ButtonData.NO);

    private LiveRunsQuestion() {
    }

    static void beforeQuitting(Window owner, Runnable save, Runnable quit) {
        ask(owner, "Quit KCOV Explorer", "Save the live runs before quitting?", "quitting now", "quit-question",
                QUIT, save, quit);
    }

    /** Before {@code file} replaces the session shown. */
    static void beforeOpening(Window owner, String file, Runnable save, Runnable open) {
        ask(owner, "Open " + file, "Save the live runs before opening " + file + "?", "opening another session now",
                "open-question", OPEN, save, open);
    }

    private static void ask(Window owner, String title, String header, String doing, String styleClass,
                            ButtonType proceed, Runnable save, Runnable proceedAction) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "The live runs exist only in this window: " + doing
                + " loses the coverage collected since the session was last saved.", SAVE, proceed, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(header);
        alert.getDialogPane().getStyleClass().add(styleClass);
        alert.setOnHidden(e -> {
            ButtonType answer = alert.getResult();
            if (answer == SAVE) {
                save.run();
            } else if (answer == proceed) {
                proceedAction.run();
            }
        });
        alert.show();
    }
}
