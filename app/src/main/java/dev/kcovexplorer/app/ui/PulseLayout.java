package dev.kcovexplorer.app.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;

/**
 * Whether a pulse's layout pass laid anything out in a scene: {@link #before} in the pulse's pre-layout listener,
 * {@link #laidOut} in its post-layout one.
 *
 * <p>The root's {@link Parent#isNeedsLayout} tells only of managed nodes, whose requests climb to it. An unmanaged
 * node is a layout root of its own: its request marks the way to it (a "dirty branch", which no public property shows)
 * and leaves the root's flag alone. A demo snapshot's window holds 59: the tab panes' content areas and headers, the
 * chart's plot parts, the combo boxes' lists, the status bar's Cancel button and progress bar while idle, 38 labels
 * (the project tree rows' delta labels outside diff and heat among them); and its first settling pulse laid out the
 * bottom tool windows' tab content area with the root's flag clear. So the unmanaged nodes that need layout before
 * the pulse are noted, and the pulse laid them out if they no longer do after it. One that still does was not reached:
 * its way up stops at a parent stranded needing layout by a request made while that parent's own parent was mid-pass,
 * which JavaFX drops (the demo's tree rows keep 14 such labels). No pulse lays it out, nor does the picture (a scene's
 * snapshot lays out from the root as a pulse does), so it is no change to wait for.
 */
final class PulseLayout {
    private final Scene scene;
    private boolean rootNeededLayout;
    private final List<Parent> unmanagedNeedingLayout = new ArrayList<>();

    PulseLayout(Scene scene) {
        this.scene = scene;
    }

    /** Before the pulse's CSS and layout: notes what its layout pass is asked to do. */
    void before() {
        rootNeededLayout = scene.getRoot().isNeedsLayout();
        unmanagedNeedingLayout.clear();
        noteUnmanagedNeedingLayout(scene.getRoot());
    }

    /** After the pulse's layout: whether it laid out anything {@link #before} found asked for. */
    boolean laidOut() {
        if (rootNeededLayout) {
            return true;
        }
        for (Parent node : unmanagedNeedingLayout) {
            if (!node.isNeedsLayout()) {
                return true;
            }
        }
        return false;
    }

    private void noteUnmanagedNeedingLayout(Parent parent) {
        for (Node child : parent.getChildrenUnmodifiable()) {
            if (child instanceof Parent node) {
                if (!node.isManaged() && node.isNeedsLayout()) {
                    unmanagedNeedingLayout.add(node);
                }
                noteUnmanagedNeedingLayout(node);
            }
        }
    }
}
