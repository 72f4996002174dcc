package dev.kcovexplorer.kcov.usb;

/**
 * Whether the dummy bus has stopped answering, told from the connections alone, for when neither the taint nor the
 * kernel log says why ({@link KernelTaint}): hub_event's worker dead or hung leaves every later device without a
 * single request, and the unplug wait's root-hub read ({@link UsbFuzzer#awaitHostLetGo}) gives up. In the
 * campaigns of 2026-12-05/06, a live bus gave at most three connections in a row without a request (a hub
 * that misbehaved, then its port's cool-down); a dead one gave 46 (seed 14) and went on with 20 s give-ups
 * (seed 71).
 */
final class DeadBus {
    /** Connections in a row without a single request that say the bus is dead. */
    static final int SILENT_CONNECTIONS = 6;
    /** Unplug waits in a row that gave up on the root hub (hub_event held it 20 s each) that say so. */
    static final int HELD_ROOT_HUBS = 2;

    private int silent;
    private int held;

    /**
     * Records a connection that got {@code requests} requests and whose unplug wait found the root hub
     * {@code rootHubHeld} past its limit; answers why the bus looks dead, or null.
     */
    String record(int requests, boolean rootHubHeld) {
        silent = requests == 0 ? silent + 1 : 0;
        held = rootHubHeld ? held + 1 : 0;
        if (silent >= SILENT_CONNECTIONS) {
            return "the bus answered no request in " + silent + " connections in a row";
        }
        if (held >= HELD_ROOT_HUBS) {
            return "hub_event held the root hub past the unplug wait's limit " + held + " times in a row";
        }
        return null;
    }

    /** Whether the last connection looked like a dead bus's: worth asking the kernel log. */
    boolean suspicious() {
        return silent > 0 || held > 0;
    }
}
