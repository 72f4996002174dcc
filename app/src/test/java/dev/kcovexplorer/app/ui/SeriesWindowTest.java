package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.PointCoverage;
import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.RunSeries;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.model.fixture.ChainOracle;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.ui.editor.CoverageDocument;
import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.runs.RunItem;
import dev.kcovexplorer.testing.Patience;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window on two campaigns cut from the demo kernel's real USB coverage: the Coverage over Time chart draws
 * each series' curve as the index's inline chains count it, a click on a snapshot's symbol picks it for the
 * series' card, and with heat on hub.c's gutter says in how many of the shown runs each line ran.
 */
class SeriesWindowTest {
    private static final String HUB = "drivers/usb/core/hub.c";

    @TempDir
    static Path dir;
    static CampaignFixture fixture;
    static Path guided;
    static Path blind;

    private final FxRobot robot = new FxRobot();
    private WindowHarness window;

    @BeforeAll
    static void campaigns() throws Exception {
        fixture = CampaignFixture.demo();
        guided = CampaignFixture.writeCampaign(dir.resolve("guided"), "guided", fixture.cumulative(5, 1), 60);
        blind = CampaignFixture.writeCampaign(dir.resolve("blind"), "blind", fixture.cumulative(5, 2).subList(0, 3), 60);
        PlaceholderSources.write(dir.resolve("src"), "drivers/usb/core/hub.c", 7000);
    }

    /** Other classes run next in this test JVM: left in a static field, the demo session stayed on its heap. */
    @AfterAll
    static void letGoOfTheDemo() {
        fixture = null;
    }

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    private Session open() throws Exception {
        Session session = Session.create(fixture.demo.index(), fixture.demo.layout().paths(), KernelInfo.UNKNOWN, null);
        Campaign.read(blind).addTo(session, null, i -> { });
        Campaign.read(guided).addTo(session, null, i -> { });
        window = WindowHarness.open(dir.resolve("config"), 1400, 900);
        window.show(session, new DirectorySources(dir.resolve("src"), Map.of()), "series");
        return session;
    }

    @Test
    void theChartDrawsEachSeriesCurveAndAClickPicksASnapshot() throws Exception {
        Session session = open();
        ChainOracle oracle = new ChainOracle(session);
        List<XYChart.Series<Number, Number>> drawn = onFx(() -> List.copyOf(window.view.seriesView().chart().getData()));
        assertThat(drawn).extracting(XYChart.Series::getName).containsExactly("blind", "guided");
        for (XYChart.Series<Number, Number> line : drawn) {
            RunSeries series = session.series(line.getName()).orElseThrow();
            assertThat(line.getData()).hasSize(series.size());
            for (int i = 0; i < series.size(); i++) {
                XYChart.Data<Number, Number> point = line.getData().get(i);
                assertThat(point.getXValue().doubleValue()).isEqualTo(series.seconds(i));
                assertThat(point.getYValue().intValue()).as(line.getName() + " lines at " + i)
                        .isEqualTo(oracle.lines(series.snapshot(i).points(), f -> true, null).size());
            }
        }
        assertThat(onFx(() -> pickedSymbols())).containsExactly("blind 2", "guided 4");
        for (int s = 0; s < drawn.size(); s++) {
            javafx.scene.paint.Color colour = javafx.scene.paint.Color.web(
                    session.series(drawn.get(s).getName()).orElseThrow().colour());
            int index = s;
            assertThat(onFx(() -> ((javafx.scene.shape.Path) drawn.get(index).getNode()).getStroke()))
                    .as(drawn.get(s).getName() + "'s line").isEqualTo(colour);
            assertThat(onFx(() -> legendColour(index))).as(drawn.get(s).getName() + " in the legend").isEqualTo(colour);
        }

        Node second = onFx(() -> drawn.get(1).getData().get(1).getNode());
        robot.clickOn(second);
        window.awaitIdle();
        RunItem guidedCard = onFx(() -> window.model.runs().runs().get(1));
        assertThat(guidedCard.series().picked()).isEqualTo(1);
        assertThat(session.runs().get(guidedCard.id()).label()).isEqualTo("guided@120s");
        assertThat(onFx(() -> pickedSymbols())).containsExactly("blind 2", "guided 1");
    }

    /**
     * A campaign cut short, read back from a session file, says so wherever its series is shown: its card in the
     * Runs window, its name in the Coverage over Time legend and its snapshots' tooltips, and the note beside a diff
     * of it and another series. Before, none of them did (the session did not even keep the cut).
     */
    @Test
    void aCampaignCutShortSaysSoOnItsCardInTheChartAndBesideADiff() throws Exception {
        Path cut = CampaignFixture.cutShort(
                CampaignFixture.writeCampaign(dir.resolve("cut"), "cut", fixture.cumulative(5, 3), 60),
                "the kernel oopsed (tainted D, see dmesg)", 281.5);
        Session made = Session.create(fixture.demo.index(), fixture.demo.layout().paths(), KernelInfo.UNKNOWN, null);
        Campaign.read(blind).addTo(made, null, i -> { });
        Campaign.read(cut).addTo(made, null, i -> { });
        Path file = dir.resolve("cut.kcovx");
        SessionFile.write(made, file);
        window = WindowHarness.open(dir.resolve("config-cut"), 1400, 900);
        window.show(SessionFile.read(file), new DirectorySources(dir.resolve("src"), Map.of()), "series");
        String why = "cut short at 281.5 s: the kernel oopsed (tainted D, see dmesg)";

        assertThat(onFx(() -> texts(".run-warning"))).as("the Runs window's cards").containsExactly("\u26A0 " + why);
        assertThat(onFx(() -> texts(".chart-legend-item"))).containsExactly("blind", "cut (cut short at 281.5 s)");
        Node last = onFx(() -> window.view.seriesView().chart().getData().get(1).getData().get(4).getNode());
        robot.moveTo(last);
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                () -> onFx(() -> last.getProperties().get(Tooltip.class) != null));
        assertThat(onFx(() -> ((Tooltip) last.getProperties().get(Tooltip.class)).getText()))
                .startsWith("cut at 300 s: ").contains("\n\u26A0 " + why + "\n");

        onFx(() -> {
            window.model.composition().showDiff("blind", "cut");
            return null;
        });
        window.awaitIdle();
        WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> onFx(() -> !texts(".diff-note").isEmpty()));
        assertThat(onFx(() -> texts(".diff-note"))).containsExactly("\u26A0 blind ends at 180 s, cut at 300 s ("
                + why + "): the diff compares their latest snapshots");
    }

    /** The texts of the window's shown labels of CSS class {@code selector}, in scene order. */
    private List<String> texts(String selector) {
        List<String> out = new ArrayList<>();
        for (Node node : window.view.lookupAll(selector)) {
            if (node instanceof javafx.scene.control.Labeled label && node.isVisible() && !label.getText().isEmpty()) {
                out.add(label.getText());
            }
        }
        return out;
    }

    /** The colour of the legend's symbol for chart series {@code index}, as painted. */
    private javafx.scene.paint.Paint legendColour(int index) {
        for (Node symbol : window.view.seriesView().chart().lookupAll(".chart-legend-item-symbol")) {
            if (symbol.getStyleClass().contains("series" + index)) {
                return ((javafx.scene.layout.Region) symbol).getBackground().getFills().get(0).getFill();
            }
        }
        throw new AssertionError("no legend symbol for series " + index);
    }

    /** "series index" of every symbol drawn larger as its series' picked snapshot. */
    private List<String> pickedSymbols() {
        List<String> out = new ArrayList<>();
        for (XYChart.Series<Number, Number> line : window.view.seriesView().chart().getData()) {
            for (int i = 0; i < line.getData().size(); i++) {
                if (line.getData().get(i).getNode().getStyleClass().contains("picked-snapshot")) {
                    out.add(line.getName() + " " + i);
                }
            }
        }
        return out;
    }

    @Test
    void withHeatOnTheGutterSaysInHowManyShownRunsEachLineRan() throws Exception {
        Session session = open();
        ChainOracle oracle = new ChainOracle(session);
        onFx(() -> {
            window.model.heatProperty().set(true);
            window.model.editors().open(HUB);
            return null;
        });
        window.awaitIdle();
        EditorView editor = onFx(window.view::selectedEditorView);
        List<PointCoverage> shown = new ArrayList<>();
        for (RunSeries series : session.series()) {
            shown.add(series.latest().points());
        }
        int[] counted = new int[3];
        for (Map.Entry<Integer, Integer> line : oracle.runsPerLine(shown, HUB).entrySet()) {
            int number = line.getKey();
            int expected = line.getValue();
            String gutter = onFx(() -> ((Text) editor.area().getParagraphGraphicFactory().apply(number - 1)
                    .lookup(".gutter-heat")).getText().strip());
            assertThat(gutter).as(HUB + ":" + number).isEqualTo(expected + "/2");
            String level = CoverageDocument.heatClass(EditorContent.Heat.level(expected, 2));
            assertThat(onFx(() -> editor.area().getParagraph(number - 1).getParagraphStyle())).as(HUB + ":" + number)
                    .contains(level);
            counted[expected]++;
        }
        assertThat(counted[0]).as("lines neither hit").isPositive();
        assertThat(counted[1]).as("lines one hit").isPositive();
        assertThat(counted[2]).as("lines both hit").isPositive();
    }
}
