package dev.kcovexplorer.app.ui.editor;

/**
 * A line that opens ({@code start}, ▶) or closes (■) a remote coverage section, with the marker's tooltip:
 * which wrapper, whose section, what handle it is collected for and which runs collect it.
 */
public record RemoteLine(boolean start, String tip) {
}
