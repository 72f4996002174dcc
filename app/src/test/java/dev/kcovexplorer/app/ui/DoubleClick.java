package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;

import javafx.scene.Node;
import javafx.scene.input.MouseButton;
import javafx.scene.robot.Robot;
import org.testfx.api.FxRobot;

/**
 * A double click as a user makes it, on a machine however busy. TestFX's {@code doubleClickOn} waits for the FX
 * queue after each press and release, so under load its second click came 1.6 s after the first: past Monocle's
 * 500 ms multi-click time the scene counted two single clicks and nothing opened. Here both clicks go through the
 * real input path (Monocle's mouse, the scene's click counting and picking) in one FX event, as a desktop's input
 * events, time-stamped when the user clicked, are counted.
 */
public final class DoubleClick {
    private DoubleClick() {
    }

    /** Moves the pointer to {@code node}'s centre and double-clicks the primary button there. */
    public static void on(FxRobot robot, Node node) throws Exception {
        robot.moveTo(node);
        onFx(() -> {
            Robot mouse = new Robot();
            mouse.mouseClick(MouseButton.PRIMARY);
            mouse.mouseClick(MouseButton.PRIMARY);
            return null;
        });
    }
}
