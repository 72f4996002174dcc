package dev.kcovexplorer.app.demo;

/**
 * One thing a presenter (or a script) does to the guest: plug or unplug a device, start or stop vhost-net
 * traffic, or freeze the coverage since the previous freeze into a run.
 *
 * @param kind   what to do
 * @param device the device, for plug and unplug
 * @param name   the frozen run's label, for freeze
 */
public record DemoAction(Kind kind, DemoDevice device, String name) {
    public enum Kind { PLUG, UNPLUG, VHOST_ON, VHOST_OFF, FREEZE }

    public static DemoAction plug(DemoDevice device) {
        return new DemoAction(Kind.PLUG, device, null);
    }

    public static DemoAction unplug(DemoDevice device) {
        return new DemoAction(Kind.UNPLUG, device, null);
    }

    public static DemoAction vhost(boolean on) {
        return new DemoAction(on ? Kind.VHOST_ON : Kind.VHOST_OFF, null, null);
    }

    public static DemoAction freeze(String name) {
        return new DemoAction(Kind.FREEZE, null, name);
    }

    /** "usb-kbd plug", "vhost on": the timeline's words, and the name a run frozen from it takes. */
    public String label() {
        return switch (kind) {
            case PLUG -> device.driver() + " plug";
            case UNPLUG -> device.driver() + " unplug";
            case VHOST_ON -> "vhost on";
            case VHOST_OFF -> "vhost off";
            case FREEZE -> "freeze " + name;
        };
    }

    /** Whether its coverage comes from the vhost (common handle) source rather than the USB buses. */
    public boolean isVhost() {
        return kind == Kind.VHOST_ON || kind == Kind.VHOST_OFF;
    }
}
