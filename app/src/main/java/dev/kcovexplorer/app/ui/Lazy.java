package dev.kcovexplorer.app.ui;

import java.util.function.Supplier;

/**
 * A thing of the window made the first time it is asked for, not with the window: the window builder's thread is the
 * start's critical path, and what no one uses until a click (a popup, a tool window behind the front one) need not be
 * made there. Ask for it on the FX thread.
 */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> maker;
    private T made;

    Lazy(Supplier<T> maker) {
        this.maker = maker;
    }

    @Override
    public T get() {
        if (made == null) {
            made = maker.get();
        }
        return made;
    }
}
