package dev.kcovexplorer.app.ui.tip;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.ShownStages;
import dev.kcovexplorer.testing.Patience;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.beans.property.StringProperty;
import javafx.scene.AccessibleAttribute;
import javafx.scene.control.Button;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.robot.Motion;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A tooltip made at the first hover says what one set up front says, to the mouse and to a screen reader, and is not
 * made before: on Monocle, with the robot's real mouse moves.
 */
class HoverTipTest {
    private static final String TEXT = "Forget the coverage received so far";

    @RegisterExtension
    final ShownStages stages = new ShownStages();
    private final FxRobot robot = new FxRobot();

    /**
     * The mouse leaves the tooltip's control and the tooltip hides, as JavaFX's one tooltip behaviour needs before
     * another control's tip shows: the stage hidden under a showing tooltip left it waiting for an exit.
     */
    @AfterEach
    void leaveTheTooltip() throws Exception {
        robot.moveBy(0, 300, Motion.DIRECT);
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> onFx(() -> Window.getWindows().stream()
                .noneMatch(window -> window instanceof Tooltip && window.isShowing())));
    }

    @Test
    void theLazyTooltipShowsWhatTheEagerOneShowsAndScreenReadersReadItBefore() throws Exception {
        HBox shown = stages.showInPrimary(() -> {
            Button eager = new Button("eager");
            eager.setTooltip(new Tooltip(TEXT));
            Button lazy = new Button("lazy");
            HoverTip.install(lazy, TEXT);
            return new HBox(40, eager, lazy);
        }, 400, 100);
        Button eager = (Button) shown.getChildren().get(0);
        Button lazy = (Button) shown.getChildren().get(1);

        assertThat(onFx(lazy::getTooltip)).as("made before any hover").isNull();
        assertThat(onFx(() -> lazy.queryAccessibleAttribute(AccessibleAttribute.HELP)))
                .isEqualTo(onFx(() -> eager.queryAccessibleAttribute(AccessibleAttribute.HELP))).isEqualTo(TEXT);

        robot.moveTo(eager);
        String eagerShows = shownTooltipOf(eager);
        robot.moveTo(lazy);
        assertThat(shownTooltipOf(lazy)).isEqualTo(eagerShows).isEqualTo(TEXT);
    }

    @Test
    void aTooltipOfChangingTextSaysTheTextOfTheMoment() throws Exception {
        StringProperty warning = new SimpleStringProperty("");
        Button lazy = statusButtonTippedBy(warning);

        onFx(() -> {
            warning.set("the first warning");
            return null;
        });
        assertThat(onFx(() -> lazy.queryAccessibleAttribute(AccessibleAttribute.HELP))).isEqualTo("the first warning");
        robot.moveTo(lazy);
        assertThat(shownTooltipOf(lazy)).isEqualTo("the first warning");
        onFx(() -> {
            warning.set("the second warning");
            return null;
        });
        assertThat(onFx(() -> lazy.getTooltip().getText())).isEqualTo("the second warning");
        assertThat(onFx(() -> lazy.queryAccessibleAttribute(AccessibleAttribute.HELP))).isEqualTo("the second warning");
    }

    /**
     * A tooltip made whose text empties (a warning cleared, a run card's cell left empty) is taken off, not left saying
     * nothing or what it said last, and comes back when the text says something again.
     */
    @Test
    void aTooltipWhoseTextEmptiesIsTakenOffUntilItSaysSomethingAgain() throws Exception {
        StringProperty warning = new SimpleStringProperty("the first warning");
        Button lazy = statusButtonTippedBy(warning);
        robot.moveTo(lazy);
        assertThat(shownTooltipOf(lazy)).isEqualTo("the first warning");

        onFx(() -> {
            warning.set("");
            return null;
        });
        assertThat(onFx(lazy::getTooltip)).as("the tooltip while the text is empty").isNull();
        assertThat(onFx(() -> lazy.queryAccessibleAttribute(AccessibleAttribute.HELP))).isIn(null, "");

        onFx(() -> {
            warning.set("the second warning");
            return null;
        });
        assertThat(onFx(() -> lazy.getTooltip().getText())).isEqualTo("the second warning");
    }

    /** The text of the tooltip showing for {@code control}, waited for (a tooltip shows a moment after the move). */
    private static String shownTooltipOf(Control control) throws Exception {
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> onFx(() -> showing(control) != null));
        return onFx(() -> showing(control).getText());
    }

    /**
     * Shows a button whose tip follows {@code text} and puts the mouse outside it (it may rest where the last test
     * left it): entering the button is what makes the tip.
     */
    private Button statusButtonTippedBy(StringProperty text) throws Exception {
        HBox shown = stages.showInPrimary(() -> {
            Button status = new Button("status");
            HoverTip.install(status, text);
            HBox box = new HBox(status);
            box.setPadding(new Insets(40));
            return box;
        }, 300, 150);
        robot.moveTo(shown, Pos.TOP_LEFT, new Point2D(5, 5), Motion.DIRECT);
        return (Button) shown.getChildren().get(0);
    }

    private static Tooltip showing(Control control) {
        Tooltip tip = control.getTooltip();
        return tip != null && tip.isShowing() && Window.getWindows().contains(tip) ? tip : null;
    }
}
