package dev.kcovexplorer.app.demo;

import java.util.Locale;

/** A USB device the demo plugs into the guest's xHCI controller through QMP {@code device_add}. */
public enum DemoDevice {
    KEYBOARD("usb-kbd", "USB keyboard"),
    MOUSE("usb-mouse", "USB mouse"),
    TABLET("usb-tablet", "USB tablet"),
    STORAGE("usb-storage", "USB storage stick"),
    NETWORK("usb-net", "USB network adapter");

    private final String driver;
    private final String title;

    DemoDevice(String driver, String title) {
        this.driver = driver;
        this.title = title;
    }

    /** QEMU's device name, also the word scripts use ({@code plug usb-kbd}). */
    public String driver() {
        return driver;
    }

    /** For buttons and messages. */
    public String title() {
        return title;
    }

    /** The QMP id the device is plugged under, to unplug it again. */
    String qmpId() {
        return "kx-" + name().toLowerCase(Locale.ROOT);
    }

    /** The device a script names, or an error listing the names. */
    public static DemoDevice byDriver(String name) {
        for (DemoDevice device : values()) {
            if (device.driver.equals(name)) {
                return device;
            }
        }
        throw new IllegalArgumentException("unknown device '" + name + "', expected one of "
                + String.join(", ", java.util.Arrays.stream(values()).map(DemoDevice::driver).toList()));
    }
}
