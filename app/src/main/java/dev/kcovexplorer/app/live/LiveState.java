package dev.kcovexplorer.app.live;

/** Where a live collection stands. */
public enum LiveState {
    DISCONNECTED("not connected"),
    CONNECTING("connecting"),
    CONNECTED("connected"),
    COLLECTING("collecting"),
    RECONNECTING("connection lost, retrying");

    private final String label;

    LiveState(String label) {
        this.label = label;
    }

    /** In words, for the tool window and its tab. */
    public String label() {
        return label;
    }
}
