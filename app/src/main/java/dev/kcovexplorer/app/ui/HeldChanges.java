package dev.kcovexplorer.app.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

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

    /** Hands on what waits, and from now on every change at once; again, nothing. */
    void release() {
        List<Runnable> waiting = held;
        held = null;
        if (waiting != null) {
            waiting.forEach(target::execute);
        }
    }
}
