package dev.kcovexplorer.app.ui.editor;

/** The hover text of a line: its points, the inline chains through it, the runs that hit it. */
@FunctionalInterface
public interface LineDetails {
    /** Text for 1-based {@code line}, or "" when there is nothing to say. */
    String describe(int line);

    LineDetails NONE = line -> "";
}
