package dev.kcovexplorer.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which demo devices the guest kernel has drivers for, from its {@code .config}: a device without its
 * driver would enumerate on the bus (hub.c runs) but bind nothing, which is not what its button promises.
 * Only built-in drivers count: the guest boots without modules of its own.
 * Without a config every device is offered.
 */
final class KernelDrivers {
    private final Map<String, String> options;

    private KernelDrivers(Map<String, String> options) {
        this.options = options;
    }

    /** Reads {@code config} ({@code CONFIG_X=y|m}); null config: unknown, everything offered. */
    static KernelDrivers of(Path config) throws IOException {
        if (config == null) {
            return new KernelDrivers(null);
        }
        Map<String, String> options = new HashMap<>();
        for (String line : Files.readAllLines(config)) {
            int eq = line.indexOf('=');
            if (line.startsWith("CONFIG_") && eq > 0) {
                options.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new KernelDrivers(options);
    }

    /** Null when the kernel can drive {@code device}, else why not ("the kernel has no … (CONFIG_…)"). */
    String missing(DemoDevice device) {
        List<String> any = switch (device) {
            case KEYBOARD, MOUSE, TABLET -> List.of("CONFIG_USB_HID");
            case STORAGE -> List.of("CONFIG_USB_STORAGE");
            // QEMU's usb-net speaks CDC Ethernet and RNDIS: either host driver binds it.
            case NETWORK -> List.of("CONFIG_USB_NET_CDCETHER", "CONFIG_USB_NET_RNDIS_HOST");
        };
        return has(any) ? null : "the guest kernel has no driver for a " + device.title() + " ("
                + String.join(" or ", any) + " is not set)";
    }

    /** Null when the kernel has vhost-net, else why not. */
    String missingVhostNet() {
        return has(List.of("CONFIG_VHOST_NET")) ? null : "the guest kernel has no vhost-net (CONFIG_VHOST_NET is not set)";
    }

    private boolean has(List<String> any) {
        if (options == null) {
            return true;
        }
        for (String option : any) {
            String value = options.get(option);
            if ("y".equals(value)) { // built in: the guest has no modules of its own kernel to load
                return true;
            }
        }
        return false;
    }
}
