package dev.kcovexplorer.app.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The run cards: a series' card offers its snapshots to pick from, a run's own card does not, as cells are reused. */
class RunsViewTest {
    private Stage stage;

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            onFx(() -> {
                stage.hide();
                return null;
            });
        }
    }

    @Test
    void onlyASeriesCardHasASnapshotChooserWithItsSnapshotsAndThePickedOne() throws Exception {
        stage = FxToolkit.registerPrimaryStage();
        RunsViewModel model = new RunsViewModel();
        RunsView view = onFx(() -> {
            RunsView runs = new RunsView(model);
            stage.setScene(new Scene(runs, 400, 600));
            stage.show();
            return runs;
        });
        RunItem plain = new RunItem(0, "usb", "#1f77b4", "USB bus 1", "pc \u00B7 10 entries", "100% resolved", null);
        RunItem series = new RunItem(2, "guided", "#ff7f0e", "campaign", "series \u00B7 3 snapshots", "99% resolved",
                null, new RunItem.Series(List.of(1, 2, 3), List.of("guided@60s", "guided@120s", "guided@180s"),
                List.of(60.0, 120.0, 180.0), 1));

        onFx(() -> {
            model.setRuns(List.of(plain, series));
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(3);
        assertThat(onFx(() -> shownChooser(view, "usb"))).isNull();
        ComboBox<?> chooser = onFx(() -> shownChooser(view, "guided"));
        assertThat(chooser).isNotNull();
        assertThat(onFx(() -> List.copyOf(chooser.getItems()))).hasSize(3);
        assertThat(onFx(() -> chooser.getSelectionModel().getSelectedIndex())).isEqualTo(1);

        // The cells swap items: the chooser follows the series, never shown on the plain run's card.
        onFx(() -> {
            model.setRuns(List.of(series, plain));
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents(3);
        assertThat(onFx(() -> shownChooser(view, "usb"))).isNull();
        assertThat(onFx(() -> shownChooser(view, "guided"))).isNotNull();
    }

    /** The snapshot chooser shown on the card of the run labelled {@code label}, or null. */
    private static ComboBox<?> shownChooser(RunsView view, String label) {
        for (Node node : view.list().lookupAll(".list-cell")) {
            ListCell<?> cell = (ListCell<?>) node;
            if (cell.getItem() instanceof RunItem run && run.label().equals(label)) {
                for (Node chooser : cell.lookupAll(".series-snapshot")) {
                    if (chooser.isVisible() && chooser.isManaged()) {
                        return (ComboBox<?>) chooser;
                    }
                }
                return null;
            }
        }
        throw new AssertionError("no card for " + label);
    }

    private static <T> T onFx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(60, TimeUnit.SECONDS);
    }
}
