package dev.kcovexplorer.app.ui.tip;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.event.EventHandler;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;

/**
 * A control's tooltip, made when the mouse first enters the control. A Tooltip is a popup window of its own (its
 * scene, its CSS bridge): the ~20 the views and the run cards set up front cost the window-builder thread, the
 * start's critical path, CPU for popups most starts never show. The text is the control's accessible help from the start, so a
 * screen reader reads what the tooltip would have said (a control's help is its tooltip's text when it has one).
 * A tooltip shows on a mouse move over its control after a delay, which the move that entered the control starts as
 * it would have started it for a tooltip set up front: the handlers the tooltip installs are in place before that
 * move is delivered. While the text is empty there is nothing to show: no tooltip is made yet (a run card's cell
 * before its first run had none), and one made is taken off until the text says something again (a warning cleared,
 * a run card's cell left empty, which kept the tooltip of the run it showed last).
 */
public final class HoverTip {
    private HoverTip() {
    }

    /** {@code control}'s tooltip saying {@code text}. */
    public static void install(Control control, String text) {
        install(control, new ReadOnlyStringWrapper(text).getReadOnlyProperty());
    }

    /** {@code control}'s tooltip saying what {@code text} holds at the time, as a tooltip bound to it would. */
    public static void install(Control control, ObservableValue<String> text) {
        control.accessibleHelpProperty().bind(text);
        control.addEventHandler(MouseEvent.MOUSE_ENTERED, new EventHandler<>() {
            @Override
            public void handle(MouseEvent entered) {
                String now = text.getValue();
                if (now == null || now.isEmpty()) {
                    return;
                }
                control.removeEventHandler(MouseEvent.MOUSE_ENTERED, this);
                Tooltip tip = new Tooltip();
                tip.textProperty().bind(text);
                control.tooltipProperty().bind(Bindings.createObjectBinding(() -> {
                    String said = text.getValue();
                    return said == null || said.isEmpty() ? null : tip;
                }, text));
            }
        });
    }
}
