package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a pulse laid out, as the headless snapshot waits on it, on Monocle's real pulses. */
class PulseLayoutTest {
    @RegisterExtension
    final ShownStages stages = new ShownStages();

    /**
     * An unmanaged node's layout (a tab pane's content area is one) leaves the root's flag clear: the snapshot's
     * check, which read that flag alone, took such a pulse for a quiet one.
     */
    @Test
    void thePulseThatLaysOutAnUnmanagedNodeLaidSomethingOut() throws Exception {
        StackPane unmanaged = new StackPane(new Label("tab content"));
        VBox root = stages.showInPrimary(() -> {
            unmanaged.setManaged(false);
            return new VBox(new Label("managed"), unmanaged);
        }, 300, 200);
        settle(root.getScene());

        boolean[] rootAsked = new boolean[1];
        assertThat(laidOutInTheNextPulse(root.getScene(), () -> {
            unmanaged.requestLayout();
            rootAsked[0] = root.isNeedsLayout();
        })).isTrue();
        assertThat(rootAsked[0]).as("the root's flag after the unmanaged node's request").isFalse();
        assertThat(onFx(unmanaged::isNeedsLayout)).as("laid out by that pulse").isFalse();
    }

    /**
     * An unmanaged node whose way up stops at a stranded parent is not reached by any pass (the demo's project tree
     * keeps 14 such labels): a managed node asked to lay out while its own parent is mid-pass is left needing it and
     * unmarked above (JavaFX drops that request), and a request below it marks the way up to it only. No pulse lays
     * the unmanaged node out, so it must not keep the snapshot waiting for one.
     */
    @Test
    void anUnmanagedNodeNoPassReachesIsNoLayoutToWaitFor() throws Exception {
        Region unmanaged = new Region();
        StackPane stranded = new StackPane(unmanaged);
        Region asksWhenLaidOut = new Region() {
            private boolean asked;

            @Override
            protected void layoutChildren() {
                // In the root's pass, after it laid out the stranded parent: the root is mid-pass.
                if (!asked) {
                    asked = true;
                    stranded.requestLayout();
                    unmanaged.requestLayout();
                }
            }
        };
        Pane root = stages.showInPrimary(() -> {
            unmanaged.setManaged(false);
            return new Pane(stranded, asksWhenLaidOut);
        }, 300, 200);
        settle(root.getScene());
        assertThat(onFx(() -> List.of(stranded.isNeedsLayout(), unmanaged.isNeedsLayout(), root.isNeedsLayout())))
                .as("stranded, unmanaged, root: asked after the root's pass had laid them out")
                .containsExactly(true, true, false);
    }

    /** Returns once a pulse laid nothing out (the window's first ones lay it out); fails after 20 that all did. */
    private static void settle(Scene scene) throws Exception {
        for (int pulse = 0; pulse < 20; pulse++) {
            if (!laidOutInTheNextPulse(scene, () -> { })) {
                return;
            }
        }
        throw new AssertionError("20 pulses in a row laid something out");
    }

    /** Whether the pulse after {@code action} (run on the FX thread) laid anything out, as {@link PulseLayout} says. */
    private static boolean laidOutInTheNextPulse(Scene scene, Runnable action) throws Exception {
        CompletableFuture<Boolean> laidOut = new CompletableFuture<>();
        onFx(() -> {
            PulseLayout layout = new PulseLayout(scene);
            Runnable before = layout::before;
            Runnable[] after = new Runnable[1];
            after[0] = () -> {
                scene.removePreLayoutPulseListener(before);
                scene.removePostLayoutPulseListener(after[0]);
                laidOut.complete(layout.laidOut());
            };
            scene.addPreLayoutPulseListener(before);
            scene.addPostLayoutPulseListener(after[0]);
            action.run();
            Platform.requestNextPulse();
            return null;
        });
        return laidOut.get(Patience.SECONDS, TimeUnit.SECONDS);
    }
}
