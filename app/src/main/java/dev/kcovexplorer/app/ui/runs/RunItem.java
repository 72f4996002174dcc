package dev.kcovexplorer.app.ui.runs;

import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * One run, or one run series, in the Runs tool window. The label changes only through
 * {@link RunsViewModel#rename}; {@link #visibleProperty()} is the user's checkbox: hidden runs leave the
 * default composition. A series' card stands for its picked snapshot (the latest unless the user picked another):
 * {@link #id()} is that snapshot's.
 *
 * @param id        the model's id of the run (its index in the session)
 * @param colour    the run's swatch colour as CSS ("#1f77b4")
 * @param source    where the coverage came from, as people say it ("USB bus 1", "common 0x42", "local task")
 * @param details   mode, entries, unique PCs ("pc · 1,204,331 entries · 18,220 unique PCs")
 * @param attribution how the PCs landed on the index ("98.7% matched · 4.9% tail-call attributed")
 */
public final class RunItem {
    private final int id;
    private final String colour;
    private final String source;
    private final String details;
    private final String attribution;
    private final String warning;
    private final Series series;
    private final ReadOnlyStringWrapper label;
    private final ReadOnlyStringWrapper unique = new ReadOnlyStringWrapper(this, "unique", "");
    private final BooleanProperty visible = new SimpleBooleanProperty(this, "visible", true);

    /**
     * The snapshots of a series card, by time.
     *
     * @param ids     the runs' ids, as {@link #id()}
     * @param labels  the snapshots' labels ("guided@300s")
     * @param seconds their times since the campaign started
     * @param picked  the position of the snapshot the card stands for
     */
    public record Series(List<Integer> ids, List<String> labels, List<Double> seconds, int picked) {
        public Series {
            ids = List.copyOf(ids);
            labels = List.copyOf(labels);
            seconds = List.copyOf(seconds);
            if (ids.isEmpty() || labels.size() != ids.size() || seconds.size() != ids.size()
                    || picked < 0 || picked >= ids.size()) {
                throw new IllegalArgumentException("a series card needs snapshots and a picked one among them");
            }
        }

        public int size() {
            return ids.size();
        }

        /** What the snapshot picker lists: "snapshot 3 of 31 · 20 s". */
        public List<String> choices() {
            List<String> out = new java.util.ArrayList<>(size());
            for (int i = 0; i < size(); i++) {
                out.add("snapshot " + (i + 1) + " of " + size() + " \u00B7 "
                        + dev.kcovexplorer.app.model.SeriesPoint.formatSeconds(seconds.get(i)) + " s");
            }
            return out;
        }
    }

    public RunItem(int id, String label, String colour, String source, String details, String attribution,
                   String warning) {
        this(id, label, colour, source, details, attribution, warning, null);
    }

    /** A series' card: {@code id} must be its picked snapshot's. */
    public RunItem(int id, String label, String colour, String source, String details, String attribution,
                   String warning, Series series) {
        if (series != null && series.ids().get(series.picked()) != id) {
            throw new IllegalArgumentException("a series card stands for its picked snapshot");
        }
        this.series = series;
        this.id = id;
        this.label = new ReadOnlyStringWrapper(this, "label", label);
        this.colour = colour;
        this.source = source;
        this.details = details;
        this.attribution = attribution;
        this.warning = warning;
    }

    public int id() {
        return id;
    }

    public ReadOnlyStringProperty labelProperty() {
        return label.getReadOnlyProperty();
    }

    public String label() {
        return label.get();
    }

    void setLabel(String newLabel) {
        label.set(newLabel);
    }

    public String colour() {
        return colour;
    }

    public String source() {
        return source;
    }

    public String details() {
        return details;
    }

    public String attribution() {
        return attribution;
    }

    /** "these PCs do not belong to this vmlinux …", or null. */
    public String warning() {
        return warning;
    }

    /** The snapshots when this card is a run series, else null. */
    public Series series() {
        return series;
    }

    /**
     * The label of the run this card stands for in expressions: its own, or its picked snapshot's.
     */
    public String runLabel() {
        return series == null ? label() : series.labels().get(series.picked());
    }

    /** "unique: 1,234 points" (hit by no other visible run), "" while fewer than two runs are shown. */
    public ReadOnlyStringProperty uniqueProperty() {
        return unique.getReadOnlyProperty();
    }

    void setUnique(String text) {
        unique.set(text);
    }

    public BooleanProperty visibleProperty() {
        return visible;
    }

    public boolean isVisible() {
        return visible.get();
    }

    /** Whether {@code other} shows exactly what this item shows, visibility included. */
    public boolean sameAs(RunItem other) {
        return id == other.id && label().equals(other.label()) && colour.equals(other.colour)
                && java.util.Objects.equals(source, other.source) && details.equals(other.details)
                && attribution.equals(other.attribution) && java.util.Objects.equals(warning, other.warning)
                && java.util.Objects.equals(series, other.series) && isVisible() == other.isVisible();
    }
}
