package dev.kcovexplorer.symbolizer.index;

/** Receives progress of a long index build and may ask it to stop. */
public interface BuildMonitor {
    /** Reports nothing and never cancels. */
    BuildMonitor SILENT = (step, done, total) -> { };

    /** {@code done} of {@code total} units of {@code step} ("symbolizing points") are finished. */
    void progress(String step, long done, long total);

    /** Polled between units of work; true makes the build throw {@link java.util.concurrent.CancellationException}. */
    default boolean isCancelled() {
        return false;
    }
}
