package dev.kcovexplorer.app.ui;

import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Tab;

/**
 * A tool window below the editors whose view is made when the tab is first chosen, not with the window: nothing of
 * the ones behind the front one shows until then, and making them (classes loaded and initialised, controls built)
 * took the window-builder thread, the start's critical path, 90-140 ms of wall time at load 7 (Coverage over Time
 * 32-55, Demo VM 32-44, Live 14-27, Comparisons 7-18). A view made late shows what its model holds then: each reads
 * its model's current state when made, not only the changes after. Made where the window is built (the window-builder
 * thread), then used on the FX thread.
 */
final class ToolTab<V extends Node> {
    private final Tab tab;
    private final Lazy<V> view;
    private Executor gaps = Runnable::run;

    ToolTab(String title, Supplier<V> maker) {
        this.tab = new Tab(title);
        this.view = new Lazy<>(maker);
        tab.selectedProperty().addListener((obs, was, selected) -> {
            if (selected) {
                showWhenChosen();
            }
        });
    }

    Tab tab() {
        return tab;
    }

    /** The view, made now if it was not yet (it goes into the tab when the tab is chosen). */
    V view() {
        return view.get();
    }

    /**
     * Where a chosen tab's view is made and then put in, each in a gap of its own ({@link PacedUiThread#executeAlone}
     * in a window): not in the call that chose it, whose own changes the next pulse lays out too (the demo's run
     * series chooses Coverage over Time), nor made, styled and laid out in one gap.
     */
    void makeInGapsOf(Executor gaps) {
        this.gaps = gaps;
    }

    /**
     * Chosen again before its view is in, it asks again: the view is made once ({@link Lazy}) and put in again as the
     * same node, and a maker that threw is tried anew instead of leaving the tab empty for good.
     */
    private void showWhenChosen() {
        if (tab.getContent() != null) {
            return;
        }
        gaps.execute(() -> {
            V made = view();
            gaps.execute(() -> tab.setContent(made));
        });
    }
}
