package dev.kcovexplorer.app.ui.editor;

/**
 * A request from an editor view model to its view: put the caret on 1-based {@code line}, select
 * {@code length} characters from {@code column} (0-based) and scroll the line into the middle of the view.
 * Each request is a new object, so asking twice for the same line still scrolls.
 */
public record Reveal(int line, int column, int length) {
}
