package dev.kcovexplorer.app.ui.demo;

import dev.kcovexplorer.app.demo.TimelineMarker;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * One action of the Demo VM's time line as a table row: the row stays while its PCs grow, so a selection
 * (what "Freeze as Run" freezes) stays on the action.
 */
public final class TimelineRow {
    private final TimelineMarker first;
    private final ReadOnlyLongWrapper pcs = new ReadOnlyLongWrapper(this, "pcs");
    private final ReadOnlyBooleanWrapper current = new ReadOnlyBooleanWrapper(this, "current");
    private final ReadOnlyBooleanWrapper lost = new ReadOnlyBooleanWrapper(this, "lost");

    TimelineRow(TimelineMarker marker) {
        this.first = marker;
        update(marker);
    }

    void update(TimelineMarker marker) {
        pcs.set(marker.pcs());
        current.set(marker.current());
        lost.set(marker.lost());
    }

    /** The action's id on the VM's time line. */
    public int id() {
        return first.id();
    }

    public double seconds() {
        return first.seconds();
    }

    /** "usb-kbd plug": the name a run frozen from it takes. */
    public String action() {
        return first.action();
    }

    /** PCs from both sources from this action until the next, or until now. */
    public ReadOnlyLongProperty pcsProperty() {
        return pcs.getReadOnlyProperty();
    }

    /** Whether coverage was lost during this action (an overflowed area, batches that never came). */
    public ReadOnlyBooleanProperty lostProperty() {
        return lost.getReadOnlyProperty();
    }

    /** Whether it is the newest action, whose PCs still grow. */
    public ReadOnlyBooleanProperty currentProperty() {
        return current.getReadOnlyProperty();
    }
}
