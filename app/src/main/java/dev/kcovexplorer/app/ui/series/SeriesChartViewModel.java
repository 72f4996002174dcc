package dev.kcovexplorer.app.ui.series;

import dev.kcovexplorer.app.model.CoverageScope;
import dev.kcovexplorer.app.model.Figures;
import dev.kcovexplorer.app.model.RunSeries;
import dev.kcovexplorer.app.model.SeriesCurve;
import dev.kcovexplorer.app.model.SeriesPoint;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.kcov.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The Coverage over Time tool window: one curve per visible run series, overlaid, of covered points or lines
 * in the chosen scope (the whole kernel, or the directory, file or function selected in the Project tree or
 * the Functions table). The curves are computed off the FX thread whenever the series or the scope change;
 * clicking a snapshot picks it for its series' card, and its menu shows what it added or diffs it.
 */
public final class SeriesChartViewModel {
    /** The key of the curves' computing task ({@code BackgroundTasks.submitLatest}). */
    public static final String TASK_KEY = "series-chart";
    /** What the y axis counts. */
    public enum Measure {
        LINES("covered lines"), POINTS("covered points");

        private final String label;

        Measure(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The curve's value at snapshot {@code i}. */
        public int value(SeriesCurve curve, int i) {
            return this == LINES ? curve.lines()[i] : curve.points()[i];
        }
    }

    /** What the session owner does for the chart's commands. */
    public interface Actions {
        /** The series' card is to stand for its snapshot at {@code index}. */
        void pick(String series, int index);

        /** Every view is to show {@code expression} (what a snapshot added: it less the one before). */
        void showExpression(String expression);

        /** Diff mode with the snapshot labelled {@code label} as A ({@code baseline}) or B. */
        void diffSide(boolean baseline, String label);
    }

    private final BackgroundTasks tasks;
    private final ReadOnlyObjectWrapper<List<SeriesCurve>> curves = new ReadOnlyObjectWrapper<>(this, "curves", List.of());
    private final ReadOnlyStringWrapper scopeText = new ReadOnlyStringWrapper(this, "scopeText", "whole kernel");
    private final ReadOnlyObjectWrapper<Map<String, Integer>> picked =
            new ReadOnlyObjectWrapper<>(this, "picked", Map.of());
    private final ReadOnlyBooleanWrapper hasSeries = new ReadOnlyBooleanWrapper(this, "hasSeries", false);
    private final ObjectProperty<Measure> measure = new SimpleObjectProperty<>(this, "measure", Measure.LINES);
    private Session session;
    private List<RunSeries> series = List.of();
    private ChartScope scope = ChartScope.KERNEL;
    private Actions actions;

    public SeriesChartViewModel(BackgroundTasks tasks) {
        this.tasks = tasks;
    }

    public void setActions(Actions actions) {
        this.actions = actions;
    }

    /** One curve per visible series, in the Runs window's order; empty when none is shown. */
    public ReadOnlyObjectProperty<List<SeriesCurve>> curvesProperty() {
        return curves.getReadOnlyProperty();
    }

    /** "whole kernel", "drivers/usb/core", "hub_event()". */
    public ReadOnlyStringProperty scopeTextProperty() {
        return scopeText.getReadOnlyProperty();
    }

    /** The snapshot each series' card stands for, by series name (its position among the series' snapshots). */
    public ReadOnlyObjectProperty<Map<String, Integer>> pickedProperty() {
        return picked.getReadOnlyProperty();
    }

    /** Whether the session has a run series at all (the tool window has something to say). */
    public ReadOnlyBooleanProperty hasSeriesProperty() {
        return hasSeries.getReadOnlyProperty();
    }

    public ObjectProperty<Measure> measureProperty() {
        return measure;
    }

    /** The series shown (the visible ones) and the snapshot each stands for. */
    public void setSeries(Session newSession, List<RunSeries> visible, Map<String, Integer> pickedSnapshots,
                          boolean anySeries) {
        boolean same = newSession == session && visible.equals(series);
        session = newSession;
        series = List.copyOf(visible);
        picked.set(Map.copyOf(pickedSnapshots));
        hasSeries.set(anySeries);
        if (!same) { // a picked snapshot changes no curve
            recompute();
        }
    }

    /** The part of the kernel the curves count. */
    public void setScope(ChartScope newScope) {
        ChartScope wanted = newScope == null ? ChartScope.KERNEL : newScope;
        if (wanted.equals(scope)) { // its curves are shown or on their way: a new session or series recomputes them
            return;
        }
        scope = wanted;
        recompute();
    }

    public void clear() {
        session = null;
        series = List.of();
        picked.set(Map.of());
        hasSeries.set(false);
        curves.set(List.of());
    }

    /** Click on a snapshot: its series' card stands for it. */
    public void pick(String seriesName, int index) {
        if (actions != null && label(seriesName, index) != null) {
            actions.pick(seriesName, index);
        }
    }

    /** "New in this snapshot": what it reached that the snapshot before it had not (the first: all of it). */
    public void showNewIn(String seriesName, int index) {
        String label = label(seriesName, index);
        if (actions == null || label == null) {
            return;
        }
        String expression = quote(label);
        if (index > 0) {
            expression += " - " + quote(label(seriesName, index - 1));
        }
        actions.showExpression(expression);
    }

    /** Diff with this snapshot as A ({@code baseline}) or as B. */
    public void diffSide(boolean baseline, String seriesName, int index) {
        String label = label(seriesName, index);
        if (actions != null && label != null) {
            actions.diffSide(baseline, label);
        }
    }

    /** The label of a series' snapshot, or null when there is no such snapshot. */
    public String label(String seriesName, int index) {
        for (RunSeries one : series) {
            if (one.name().equals(seriesName) && index >= 0 && index < one.size()) {
                return one.snapshot(index).label();
            }
        }
        return null;
    }

    /**
     * The series' name in the legend: "guided", or "guided (cut short at 181 s)" when its campaign was, for a curve
     * that stops early or goes flat for a reason that is not the fuzzer's must not pass for a complete one.
     */
    public static String legendName(SeriesCurve curve) {
        String name = Printable.of(curve.series());
        return curve.cut() == null ? name : name + " (" + curve.cut().when() + ")";
    }

    /**
     * "guided at 120 s: 1,234 covered lines (+56)", for a snapshot's tooltip, and how its campaign was cut short
     * when it was.
     */
    public String describe(SeriesCurve curve, int index) {
        Measure m = measure.get();
        int value = m.value(curve, index);
        int before = index == 0 ? 0 : m.value(curve, index - 1);
        return Printable.of(curve.series()) + " at " + SeriesPoint.formatSeconds(curve.seconds()[index]) + " s: "
                + Figures.count(value) + " " + m.label() + " ("
                + (value >= before ? "+" : "\u2212") + Figures.count(Math.abs(value - before))
                + ")" + (curve.cut() == null ? "" : "\n\u26A0 " + Printable.of(curve.cut().text()))
                + "\nclick: pick this snapshot \u00B7 right-click: what it added, diff";
    }

    private void recompute() {
        Session target = session;
        List<RunSeries> shown = series;
        ChartScope wanted = scope;
        if (target == null || shown.isEmpty()) {
            curves.set(List.of());
            scopeText.set(wanted.function() != null ? wanted.function() + "()"
                    : wanted.path().isEmpty() ? "whole kernel" : wanted.path());
            return;
        }
        tasks.submitLatest(TASK_KEY, "Computing coverage over time", progress -> {
            CoverageScope resolved = wanted.resolve(target.layout());
            List<SeriesCurve> out = new ArrayList<>();
            for (RunSeries one : shown) {
                progress.checkCancelled();
                out.add(SeriesCurve.of(target.layout(), one, resolved));
            }
            return new Computed(resolved.description(), List.copyOf(out));
        }, computed -> {
            scopeText.set(computed.scope());
            curves.set(computed.curves());
        });
    }

    private record Computed(String scope, List<SeriesCurve> curves) {
    }

    private static String quote(String label) {
        return new dev.kcovexplorer.app.model.algebra.SetExpression.Name(label, 1).format();
    }
}
