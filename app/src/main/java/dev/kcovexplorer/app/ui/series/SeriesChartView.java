package dev.kcovexplorer.app.ui.series;

import dev.kcovexplorer.app.model.SeriesCurve;
import dev.kcovexplorer.kcov.Printable;
import java.util.List;
import java.util.Map;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/**
 * The Coverage over Time tool window: a line chart of the visible series' curves (x: seconds since the
 * campaign started), the measure (lines or points) and the scope on top. Every snapshot is a symbol in its
 * series' colour; the picked one is drawn larger. Code-only; every action is a view-model command.
 */
public final class SeriesChartView extends BorderPane {
    private final SeriesChartViewModel model;
    private final NumberAxis time = new NumberAxis();
    private final NumberAxis covered = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(time, covered);
    private final Label scope = new Label();
    /** Modena's chart colours (CHART_COLOR_1…8); a ninth series' legend symbol takes the first one's again. */
    private static final int LEGEND_COLOURS = 8;
    /** The series' names as the model knows them, by chart series (the legend shows them printable). */
    private final List<String> names = new java.util.ArrayList<>();

    public SeriesChartView(SeriesChartViewModel model) {
        this.model = model;
        getStyleClass().add("series-chart-view");
        time.setLabel("seconds since the campaign started");
        time.setForceZeroInRange(true);
        covered.setForceZeroInRange(false);
        chart.setAnimated(false);
        chart.setCreateSymbols(true);
        chart.setLegendVisible(true);
        chart.getStyleClass().add("series-chart");

        ToggleGroup measures = new ToggleGroup();
        HBox bar = new HBox(6);
        for (SeriesChartViewModel.Measure m : SeriesChartViewModel.Measure.values()) {
            ToggleButton button = new ToggleButton(m.label());
            button.setToggleGroup(measures);
            button.setUserData(m);
            button.setSelected(model.measureProperty().get() == m);
            bar.getChildren().add(button);
        }
        measures.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one measure is always chosen
            } else {
                model.measureProperty().set((SeriesChartViewModel.Measure) now.getUserData());
            }
        });
        scope.getStyleClass().add("tool-subtitle");
        Label empty = new Label("Open a run series (a campaign directory) to see its coverage grow");
        empty.getStyleClass().add("empty-hint");
        empty.visibleProperty().bind(model.hasSeriesProperty().not());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        bar.getChildren().addAll(spacer, scope);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("series-chart-bar");
        setTop(bar);
        setCenter(new StackPane(chart, empty));

        model.curvesProperty().addListener((obs, old, now) -> redraw());
        model.measureProperty().addListener((obs, old, now) -> redraw());
        model.pickedProperty().addListener((obs, old, now) -> markPicked());
        model.scopeTextProperty().addListener((obs, old, now) -> updateTitle());
        redraw();
    }

    public LineChart<Number, Number> chart() {
        return chart;
    }

    private void updateTitle() {
        scope.setText(model.measureProperty().get().label() + " \u00B7 " + Printable.of(model.scopeTextProperty().get()));
        covered.setLabel(model.measureProperty().get().label());
    }

    /**
     * One chart series per curve. When the series and their snapshots are the ones drawn (another scope or
     * measure), only the values change: no symbol is made again, which keeps a redraw within a frame.
     */
    private void redraw() {
        updateTitle();
        List<SeriesCurve> curves = model.curvesProperty().get();
        SeriesChartViewModel.Measure measure = model.measureProperty().get();
        if (sameShape(curves)) {
            for (int s = 0; s < curves.size(); s++) {
                SeriesCurve curve = curves.get(s);
                List<XYChart.Data<Number, Number>> points = chart.getData().get(s).getData();
                for (int i = 0; i < curve.size(); i++) {
                    points.get(i).setXValue(curve.seconds()[i]);
                    points.get(i).setYValue(measure.value(curve, i));
                }
            }
            markPicked();
            return;
        }
        List<XYChart.Series<Number, Number>> all = new java.util.ArrayList<>(curves.size());
        names.clear();
        for (SeriesCurve curve : curves) {
            XYChart.Series<Number, Number> line = new XYChart.Series<>();
            line.setName(SeriesChartViewModel.legendName(curve));
            names.add(curve.series());
            for (int i = 0; i < curve.size(); i++) {
                XYChart.Data<Number, Number> point = new XYChart.Data<>(curve.seconds()[i], measure.value(curve, i));
                point.setNode(symbol(curve.series(), curve.colour(), i));
                line.getData().add(point);
            }
            all.add(line);
        }
        chart.getData().setAll(all);
        for (int s = 0; s < curves.size(); s++) {
            String colour = curves.get(s).colour();
            XYChart.Series<Number, Number> line = all.get(s);
            if (line.getNode() != null) {
                line.getNode().setStyle("-fx-stroke: " + colour + ";");
            }
        }
        // The legend's symbols are made when the chart next lays out, after this method, so a style set on them here
        // is lost (they showed modena's default colours, not the lines'). They take modena's looked-up colours
        // CHART_COLOR_1… by series index, as many as modena has: the chart carries the series' colours there.
        StringBuilder colours = new StringBuilder();
        for (int s = 0; s < Math.min(curves.size(), LEGEND_COLOURS); s++) {
            colours.append("CHART_COLOR_").append(s + 1).append(": ").append(curves.get(s).colour()).append("; ");
        }
        chart.setStyle(colours.toString());
        markPicked();
    }

    /** The chart draws these series, by name, with as many snapshots each. */
    private boolean sameShape(List<SeriesCurve> curves) {
        if (curves.size() != names.size() || curves.size() != chart.getData().size()) {
            return false;
        }
        for (int s = 0; s < curves.size(); s++) {
            if (!curves.get(s).series().equals(names.get(s))
                    || curves.get(s).size() != chart.getData().get(s).getData().size()
                    || !SeriesChartViewModel.legendName(curves.get(s)).equals(chart.getData().get(s).getName())) {
                return false;
            }
        }
        return true;
    }

    /** The curve drawn for a series now, or null. */
    private SeriesCurve curve(String series) {
        for (SeriesCurve curve : model.curvesProperty().get()) {
            if (curve.series().equals(series)) {
                return curve;
            }
        }
        return null;
    }

    /**
     * A snapshot's symbol: its series' colour, click to pick, a menu for the rest, and a tooltip with its
     * figure made when the pointer first rests on it (a hundred tooltips made at every redraw cost a frame).
     */
    private StackPane symbol(String series, String colour, int index) {
        StackPane node = new StackPane();
        node.getStyleClass().add("snapshot-symbol");
        node.setStyle("-fx-background-color: " + colour + ";");
        node.getProperties().put(Integer.class, index);
        node.setOnMouseEntered(e -> {
            SeriesCurve curve = curve(series);
            if (curve == null || index >= curve.size()) {
                return;
            }
            Tooltip tip = (Tooltip) node.getProperties().get(Tooltip.class);
            if (tip == null) {
                tip = new Tooltip();
                Tooltip.install(node, tip);
                node.getProperties().put(Tooltip.class, tip);
            }
            tip.setText(model.describe(curve, index));
        });
        node.setOnContextMenuRequested(e -> {
            MenuItem added = new MenuItem("New in This Snapshot");
            added.setOnAction(a -> model.showNewIn(series, index));
            MenuItem asA = new MenuItem("Diff: Use as A (Baseline)");
            asA.setOnAction(a -> model.diffSide(true, series, index));
            MenuItem asB = new MenuItem("Diff: Use as B (Current)");
            asB.setOnAction(a -> model.diffSide(false, series, index));
            new ContextMenu(added, asA, asB).show(node, e.getScreenX(), e.getScreenY());
        });
        node.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                model.pick(series, index);
            }
        });
        return node;
    }

    /** The picked snapshot of each series gets the "picked-snapshot" class (drawn larger). */
    private void markPicked() {
        Map<String, Integer> picked = model.pickedProperty().get();
        for (int s = 0; s < chart.getData().size() && s < names.size(); s++) {
            XYChart.Series<Number, Number> line = chart.getData().get(s);
            Integer index = picked.get(names.get(s));
            for (XYChart.Data<Number, Number> point : line.getData()) {
                if (point.getNode() == null) {
                    continue;
                }
                boolean isPicked = index != null && index.equals(point.getNode().getProperties().get(Integer.class));
                if (isPicked && !point.getNode().getStyleClass().contains("picked-snapshot")) {
                    point.getNode().getStyleClass().add("picked-snapshot");
                } else if (!isPicked) {
                    point.getNode().getStyleClass().remove("picked-snapshot");
                }
            }
        }
    }
}
