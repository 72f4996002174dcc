package dev.kcovexplorer.app.demo;

/**
 * One action on the demo's time line, as the window shows it.
 *
 * @param id      stable while the action is on the time line, to freeze its coverage by
 * @param seconds seconds after the agent connected
 * @param action  "usb-kbd plug", "vhost on": also the name a run frozen from it takes
 * @param vhost   whether its coverage comes from the vhost source (else from the USB buses)
 * @param pcs     PCs (from both sources) that arrived from this action until the next, or until now
 * @param current whether it is the newest action, whose PCs still grow
 * @param lost    whether coverage was lost from this action until the next (an area overflowed, batches never
 *                came): its PCs are fewer than the kernel ran
 */
public record TimelineMarker(int id, double seconds, String action, boolean vhost, long pcs, boolean current,
        boolean lost) {
}
