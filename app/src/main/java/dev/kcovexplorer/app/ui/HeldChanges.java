package dev.kcovexplorer.app.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.event.EventHandler;
import javafx.scene.Scene;
import javafx.scene.input.InputEvent;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;

/**
 * Changes handed on to another executor once released, in the order they came; after that at once. On the FX thread.
 * The start view's editor holds the tool windows chosen before it shows (the demo's run series chooses Coverage over
 * Time): made and put in as they came, ahead of what waited, they took the gaps before the composition's result (the
 * view made in 31 ms of FX CPU, put in, a pulse of 58 ms laying it out, a wait for a full gap: the composition 85-100 ms
 * later), while the chart they show stays empty until the start view is shown anyway ({@link StartViews#aside}).
 */
final class HeldChanges implements Executor {
    private final Executor target;
    /** What waits; null once released. */
    private List<Runnable> held = new ArrayList<>();

    HeldChanges(Executor target) {
        this.target = target;
    }

    @Override
    public void execute(Runnable change) {
        if (held == null) {
            target.execute(change);
        } else {
            held.add(change);
        }
    }

    /**
     * Releases at the user's first press of a key or a mouse button in {@code scene}, before the press is handled: only
     * what the unattended start chooses waits; a tool window the user clicks is theirs to see at once, and the start
     * view may wait minutes (a first run fetches the kernel sources).
     */
    void releaseOnUserInput(Scene scene) {
        EventHandler<InputEvent> firstInput = new EventHandler<>() {
            @Override
            public void handle(InputEvent input) {
                scene.removeEventFilter(MouseEvent.MOUSE_PRESSED, this);
                scene.removeEventFilter(KeyEvent.KEY_PRESSED, this);
                release();
            }
        };
        scene.addEventFilter(MouseEvent.MOUSE_PRESSED, firstInput);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, firstInput);
    }

    /** Hands on what waits, and from now on every change at once; again, nothing. */
    void release() {
        List<Runnable> waiting = held;
        held = null;
        if (waiting != null) {
            waiting.forEach(target::execute);
        }
    }
}
