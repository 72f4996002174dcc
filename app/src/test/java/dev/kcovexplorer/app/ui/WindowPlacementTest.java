package dev.kcovexplorer.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.settings.UiSettings;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Saved window geometry against the screens there are now (Monocle's one headless screen). */
class WindowPlacementTest {
    @RegisterExtension
    final ShownStages stages = new ShownStages();

    @Test
    void aPlaceOffEveryScreenIsIgnoredAndTheWindowLandsOnThePrimaryScreen() throws Exception {
        Rectangle2D shown = placed(UiSettings.defaults().withLayout(5_000, 3_000, 1200, 800, false, 0.3, 0.3, 0.7));
        Rectangle2D screen = ShownStages.onFx(() -> Screen.getPrimary().getVisualBounds());
        assertThat(screen.contains(shown)).as(shown + " on " + screen).isTrue();
        assertThat(shown.getWidth()).isEqualTo(1200);
    }

    @Test
    void aWindowLargerThanTheScreenIsShrunkOntoIt() throws Exception {
        Rectangle2D screen = ShownStages.onFx(() -> Screen.getPrimary().getVisualBounds());
        Rectangle2D shown = placed(UiSettings.defaults().withLayout(screen.getMinX() + 160, screen.getMinY() + 67,
                screen.getWidth() + 700, screen.getHeight() + 400, false, 0.3, 0.3, 0.7));
        assertThat(screen.contains(shown)).as(shown + " on " + screen).isTrue();
    }

    @Test
    void aPlaceOnScreenIsKept() throws Exception {
        Rectangle2D screen = ShownStages.onFx(() -> Screen.getPrimary().getVisualBounds());
        double x = screen.getMinX() + screen.getWidth() / 4;
        double y = screen.getMinY() + screen.getHeight() / 4;
        Rectangle2D shown = placed(UiSettings.defaults().withLayout(x, y, 400, 300, false, 0.3, 0.3, 0.7));
        assertThat(shown).isEqualTo(new Rectangle2D(x, y, 400, 300));
    }

    private Rectangle2D placed(UiSettings settings) throws Exception {
        return ShownStages.onFx(() -> {
            Stage stage = stages.hiddenAfterwards(new Stage());
            WindowPlacement.restore(stage, WindowPlacement.Screens.now().place(settings), settings.maximized());
            stage.show();
            return new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
        });
    }
}
