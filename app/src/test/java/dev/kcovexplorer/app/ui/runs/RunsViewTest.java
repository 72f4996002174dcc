package dev.kcovexplorer.app.ui.runs;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.ShownStages;
import dev.kcovexplorer.app.ui.Themes;
import dev.kcovexplorer.testing.Patience;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.AccessibleAction;
import javafx.scene.AccessibleAttribute;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.CornerRadii;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The run cards: a series' card offers its snapshots to pick from, a run's own card does not, as cells are reused; a
 * card's menu is made when asked for.
 */
class RunsViewTest {
    /** Two cards' runs, the second to be removed. */
    private static final RunItem KEPT = new RunItem(0, "usb", "#1f77b4", "USB bus 1", "pc \u00B7 10 entries",
            "100% resolved", null);
    private static final RunItem REMOVED = new RunItem(1, "removed-run", "#ff7f0e", "USB bus 2", "pc \u00B7 4 entries",
            "100% resolved", null);

    @RegisterExtension
    final ShownStages stages = new ShownStages();

    private final RunsViewModel model = new RunsViewModel();

    /** The cards of {@link #model}, shown in the primary stage. */
    private RunsView shown() throws Exception {
        return stages.showInPrimary(() -> new RunsView(model), 400, 600);
    }

    @Test
    void onlyASeriesCardHasASnapshotChooserWithItsSnapshotsAndThePickedOne() throws Exception {
        RunsView view = shown();
        RunItem plain = new RunItem(0, "usb", "#1f77b4", "USB bus 1", "pc \u00B7 10 entries", "100% resolved", null);
        RunItem series = new RunItem(2, "guided", "#ff7f0e", "campaign", "series \u00B7 3 snapshots", "99% resolved",
                null, new RunItem.Series(List.of(1, 2, 3), List.of("guided@60s", "guided@120s", "guided@180s"),
                List.of(60.0, 120.0, 180.0), 1));

        showRuns(view, plain, series);
        assertThat(onFx(() -> shownChooser(view, "usb"))).isNull();
        ComboBox<?> chooser = onFx(() -> shownChooser(view, "guided"));
        assertThat(chooser).isNotNull();
        assertThat(onFx(() -> List.copyOf(chooser.getItems()))).hasSize(3);
        assertThat(onFx(() -> chooser.getSelectionModel().getSelectedIndex())).isEqualTo(1);

        // The cells swap items: the chooser follows the series, never shown on the plain run's card.
        showRuns(view, series, plain);
        assertThat(onFx(() -> shownChooser(view, "usb"))).isNull();
        assertThat(onFx(() -> shownChooser(view, "guided"))).isNotNull();
    }

    /**
     * A card's cell left empty (its run removed) says nothing of the run it showed: its accessible help (and tooltip, made
     * at a hover, HoverTipTest) named that run still.
     */
    @Test
    void aCellLeftEmptyHasNoTipOfTheRunItShowed() throws Exception {
        RunsView view = shown();
        showRuns(view, KEPT, REMOVED);
        assertThat(onFx(() -> cellAt(view, 1).queryAccessibleAttribute(AccessibleAttribute.HELP))).asString()
                .contains("removed-run");

        showRuns(view, KEPT);
        ListCell<?> second = onFx(() -> cellAt(view, 1));
        assertThat(onFx(second::isEmpty)).as("the second cell left empty").isTrue();
        assertThat(onFx(() -> second.queryAccessibleAttribute(AccessibleAttribute.HELP))).as("its help")
                .isIn(null, "");
    }

    /**
     * A cell left empty keeps its card, hidden, out of its layout and without its run's texts, and shows the next run on
     * it: taken out of the scene and put back, the card was styled from scratch for every run, and the list measures
     * each run's card on one cell that goes empty between two.
     */
    @Test
    void aCellLeftEmptyKeepsItsCardHiddenWithoutItsRunsTexts() throws Exception {
        RunsView view = shown();
        showRuns(view, KEPT, REMOVED);
        ListCell<?> second = onFx(() -> cellAt(view, 1));
        Node card = onFx(second::getGraphic);
        List<Object> scenesLeft = new CopyOnWriteArrayList<>();
        onFx(() -> {
            card.sceneProperty().addListener((obs, old, now) -> scenesLeft.add(String.valueOf(now)));
            return null;
        });

        showRuns(view, KEPT);
        assertThat(onFx(second::isEmpty)).as("the second cell left empty").isTrue();
        assertThat(onFx(second::getGraphic)).as("its graphic").isSameAs(card);
        assertThat(onFx(() -> card.isVisible() || card.isManaged())).as("the card shown or laid out").isFalse();
        assertThat(onFx(() -> card.lookupAll(".label").stream().filter(Label.class::isInstance).map(node -> ((Label) node).getText())
                .filter(text -> !text.isEmpty()).toList())).as("the texts left on it").isEmpty();
        // The emptied cell's height is set by a later layout than the one that emptied it: wait for it (when it never
        // comes, the assertion says the two heights).
        try {
            WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                    () -> onFx(() -> second.getHeight() == cellAt(view, 2).getHeight()));
        } catch (TimeoutException neverAsTall) {
            // reported by the assertion
        }
        assertThat(onFx(second::getHeight)).as("its height, as the empty cell below that never held a run")
                .isEqualTo(onFx(() -> cellAt(view, 2).getHeight()));

        showRuns(view, KEPT, REMOVED);
        ListCell<?> shown = onFx(() -> cellAt(view, 1));
        assertThat(onFx(() -> shown.getGraphic().isVisible() && shown.getGraphic().isManaged())).isTrue();
        assertThat(scenesLeft).as("the card's scene changes").isEmpty();
    }

    /** In the window's styles, a card's swatch is a 12-pixel dot of its run's colour (its background, set in code). */
    @Test
    void aCardsSwatchIsARoundDotOfItsRunsColour() throws Exception {
        RunsView view = shown();
        onFx(() -> {
            Themes.apply(view.getScene(), "light");
            return null;
        });
        List<RunItem> runs = List.of(KEPT, REMOVED);
        showRuns(view, runs.toArray(RunItem[]::new));
        for (int index = 0; index < runs.size(); index++) {
            int at = index;
            Region swatch = onFx(() -> (Region) cellAt(view, at).lookup(".run-swatch"));
            List<BackgroundFill> fills = onFx(() -> swatch.getBackground().getFills());
            assertThat(fills).extracting(BackgroundFill::getFill).containsExactly(Color.web(runs.get(index).colour()));
            assertThat(fills.get(0).getRadii()).isEqualTo(new CornerRadii(6));
            assertThat(onFx(() -> List.of(swatch.getWidth(), swatch.getHeight()))).containsExactly(12.0, 12.0);
        }
    }

    /**
     * A card's context menu is made when first asked for, by the mouse, the keyboard or a screen reader (its show-menu
     * action): made with every card, it was a popup window a card, cold, in the pulse that lays out a session's cards.
     * Asked for, it holds the card's actions, on the card's run.
     */
    @Test
    void aCardsContextMenuIsMadeWhenAskedForAndActsOnItsRun() throws Exception {
        RunsView view = shown();
        showRuns(view, KEPT, REMOVED);
        ListCell<?> second = onFx(() -> cellAt(view, 1));
        assertThat(onFx(second::getContextMenu)).as("a menu before any request").isNull();

        onFx(() -> {
            second.executeAccessibleAction(AccessibleAction.SHOW_MENU);
            return null;
        });
        ContextMenu menu = onFx(second::getContextMenu);
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> onFx(menu::isShowing));
        assertThat(onFx(() -> menu.getItems().stream().map(MenuItem::getText).toList()))
                .containsExactly("Rename\u2026", "Remove", "Show Unique Coverage");
        onFx(() -> {
            menu.hide();
            menu.getItems().get(1).fire();
            return null;
        });
        assertThat(onFx(() -> List.copyOf(model.runs()))).containsExactly(KEPT);
    }

    private static ListCell<?> cellAt(RunsView view, int index) {
        return view.list().lookupAll(".list-cell").stream().map(node -> (ListCell<?>) node)
                .filter(cell -> cell.isVisible() && cell.getIndex() == index).findFirst().orElseThrow();
    }

    /** Gives {@link #model} {@code runs}; waits until the cells show them, in order (a pulse lays them out). */
    private void showRuns(RunsView view, RunItem... runs) throws Exception {
        onFx(() -> {
            model.setRuns(List.of(runs));
            return null;
        });
        List<String> labels = Arrays.stream(runs).map(RunItem::label).toList();
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                () -> onFx(() -> shownLabels(view)).equals(labels));
    }

    private static List<String> shownLabels(RunsView view) {
        return view.list().lookupAll(".list-cell").stream().map(node -> (ListCell<?>) node)
                .filter(cell -> cell.getItem() instanceof RunItem)
                .sorted(Comparator.comparingInt(ListCell::getIndex))
                .map(cell -> ((RunItem) cell.getItem()).label()).toList();
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
}
