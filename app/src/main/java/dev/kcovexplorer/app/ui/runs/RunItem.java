package dev.kcovexplorer.app.ui.runs;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * One run in the Runs tool window. The label changes only through {@link RunsViewModel#rename};
 * {@link #visibleProperty()} is the user's checkbox: hidden runs leave the default composition.
 *
 * @param id        the model's stable id of the run (its index in the session)
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
    private final ReadOnlyStringWrapper label;
    private final BooleanProperty visible = new SimpleBooleanProperty(this, "visible", true);

    public RunItem(int id, String label, String colour, String source, String details, String attribution,
                   String warning) {
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
                && isVisible() == other.isVisible();
    }
}
