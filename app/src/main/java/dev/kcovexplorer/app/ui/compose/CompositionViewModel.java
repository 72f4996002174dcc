package dev.kcovexplorer.app.ui.compose;

import dev.kcovexplorer.app.ui.editor.LineMark;
import java.util.List;
import java.util.function.BiFunction;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The composition bar: an expression over run names validated as it is typed, and the Diff mode with
 * A and B. The inputs are writable properties; whenever they form a valid composition it is published in
 * {@link #compositionProperty()}, which every other view follows. Invalid input never replaces the last
 * valid composition, so the views do not flicker while one types.
 */
public final class CompositionViewModel {
    private final StringProperty expression = new SimpleStringProperty(this, "expression", "");
    private final BooleanProperty diffMode = new SimpleBooleanProperty(this, "diffMode", false);
    private final StringProperty baseline = new SimpleStringProperty(this, "baseline", "");
    private final StringProperty current = new SimpleStringProperty(this, "current", "");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(this, "valid", true);
    private final ReadOnlyObjectWrapper<Composition> composition =
            new ReadOnlyObjectWrapper<>(this, "composition", Composition.ALL_VISIBLE);
    private final ObservableList<String> runLabels = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<List<LineMark>> legend =
            new ReadOnlyObjectWrapper<>(this, "legend", legendFor(false, ""));
    private final ReadOnlyStringWrapper diffNote = new ReadOnlyStringWrapper(this, "diffNote", "");
    private ExpressionValidator validator = ExpressionValidator.ACCEPT_NOTHING;
    private BiFunction<String, String, String> diffNotes = (a, b) -> null;

    public CompositionViewModel() {
        expression.addListener((obs, old, now) -> revalidate());
        diffMode.addListener((obs, old, now) -> revalidate());
        baseline.addListener((obs, old, now) -> revalidate());
        current.addListener((obs, old, now) -> revalidate());
    }

    public StringProperty expressionProperty() {
        return expression;
    }

    public BooleanProperty diffModeProperty() {
        return diffMode;
    }

    /** Diff A: a run label or an expression. */
    public StringProperty baselineProperty() {
        return baseline;
    }

    /** Diff B. */
    public StringProperty currentProperty() {
        return current;
    }

    /** Why the input is invalid, "" when it is valid. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Composition> compositionProperty() {
        return composition.getReadOnlyProperty();
    }

    /**
     * The marks the window can paint now, for the legend: the diff categories in diff mode, else the line
     * states, with "excluded by the expression" while an expression can take lines away.
     */
    public ReadOnlyObjectProperty<List<LineMark>> legendProperty() {
        return legend.getReadOnlyProperty();
    }

    /**
     * What the diff shown must say beside it, "" when nothing: two series whose latest snapshots come at different
     * times, or one cut short ("blind ends at 180 s (cut short at 180 s: …), guided at 300 s: …").
     */
    public ReadOnlyStringProperty diffNoteProperty() {
        return diffNote.getReadOnlyProperty();
    }

    /**
     * How to tell the note of a diff of A and B (by their trimmed texts; null for none): set with the runs, since it
     * depends on the session's series.
     */
    public void setDiffNotes(BiFunction<String, String, String> notes) {
        diffNotes = notes;
        revalidate();
    }

    /** The run labels A and B offer. */
    public ObservableList<String> runLabels() {
        return runLabels;
    }

    /**
     * A session was opened (or its runs renamed): new names to validate against. {@code modes} gives each
     * run's trace mode ("pc" or "cmp"), so that the default diff compares like with like.
     */
    public void setRuns(List<String> labels, List<String> modes, ExpressionValidator newValidator) {
        validator = newValidator;
        // The A/B combo boxes may clear their value while their items are replaced: keep the choice.
        String a = baseline.get();
        String b = current.get();
        if (!runLabels.equals(labels)) { // a live run's new figures leave the labels as they were
            runLabels.setAll(labels);
        }
        baseline.set(a);
        current.set(b);
        if (labels.size() >= 2 && !(labels.contains(a) && labels.contains(b))) {
            int[] pair = defaultPair(modes);
            baseline.set(labels.get(pair[0]));
            current.set(labels.get(pair[1]));
        }
        revalidate();
    }

    /**
     * The first two runs, in load order, of the same trace mode: a PC run diffed against a comparison-mode
     * run would say that every line was lost. The first two runs when no mode has two.
     */
    private static int[] defaultPair(List<String> modes) {
        for (int first = 0; first < modes.size(); first++) {
            for (int second = first + 1; second < modes.size(); second++) {
                if (modes.get(first).equals(modes.get(second))) {
                    return new int[] {first, second};
                }
            }
        }
        return new int[] {0, 1};
    }

    /** Shows {@code a} against {@code b} (from `--view diff:A,B` or a menu). */
    public void showDiff(String a, String b) {
        baseline.set(a);
        current.set(b);
        diffMode.set(true);
    }

    /** Re-publishes the composition even if unchanged: the runs' visibility changed underneath it. */
    public void refresh() {
        Composition c = composition.get();
        composition.set(new Composition(c.expression(), c.diff(), c.baseline(), c.current()));
    }

    private void revalidate() {
        String error;
        if (diffMode.get()) {
            error = firstProblem("A", baseline.get(), false);
            if (error == null) {
                error = firstProblem("B", current.get(), false);
            }
        } else {
            error = firstProblem(null, expression.get(), true);
        }
        problem.set(error == null ? "" : error);
        valid.set(error == null);
        if (error == null) {
            Composition next = new Composition(trimmed(expression), diffMode.get(), trimmed(baseline), trimmed(current));
            composition.set(next);
            legend.set(legendFor(next.diff(), next.expression()));
            String note = next.diff() ? diffNotes.apply(next.baseline(), next.current()) : null;
            diffNote.set(note == null ? "" : note);
        }
    }

    private static List<LineMark> legendFor(boolean diff, String expression) {
        if (diff) {
            return List.of(LineMark.CBC, LineMark.GBC, LineMark.LBC, LineMark.UBC);
        }
        List<LineMark> states = List.of(LineMark.COVERED, LineMark.PARTIAL, LineMark.UNCOVERED, LineMark.NOT_EXECUTED,
                LineMark.OUTSIDE_REMOTE);
        if (expression.isEmpty()) { // the union of the visible runs takes nothing away
            return states;
        }
        List<LineMark> withExcluded = new java.util.ArrayList<>(states);
        withExcluded.add(LineMark.EXCLUDED);
        return List.copyOf(withExcluded);
    }

    private static String trimmed(StringProperty text) {
        return text.get() == null ? "" : text.get().trim();
    }

    private String firstProblem(String side, String text, boolean blankAllowed) {
        if (text == null || text.isBlank()) {
            return blankAllowed ? null : side + ": choose a run or type an expression";
        }
        String error = validator.check(text.trim());
        return error == null ? null : side == null ? error : side + ": " + error;
    }
}
