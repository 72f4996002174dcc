package dev.kcovexplorer.app.ui.task;

/** A unit of slow work (parsing, indexing, reading sources, building documents) run off the FX thread. */
@FunctionalInterface
public interface BackgroundWork<T> {
    T run(Progress progress) throws Exception;
}
