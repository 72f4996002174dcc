package dev.kcovexplorer.app.ui.live;

/**
 * A live session another tool window connected and drives (the Demo VM's two), shown in the Live window on the
 * same connection: its state and figures, read-only here.
 *
 * @param label the session's live run ("live usb")
 * @param model its collector's figures and state
 */
public record SharedSession(String label, LiveViewModel model) {
}
