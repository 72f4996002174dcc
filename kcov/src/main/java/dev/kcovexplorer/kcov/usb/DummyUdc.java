package dev.kcovexplorer.kcov.usb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A dummy_hcd pair as sysfs shows it: the gadget side's UDC ({@code dummy_udc.N}, driver {@code dummy_udc})
 * that raw-gadget binds to, and the host side's USB bus ({@code dummy_hcd.N/usbB}) whose hub_event the
 * fuzzer's kcov collects. A device plugged into the gadget is {@code B-1} on the host once enumerated.
 *
 * @param driver the UDC driver name raw-gadget's INIT wants ("dummy_udc")
 * @param device the UDC instance ("dummy_udc.0")
 * @param bus    the host-side bus number
 */
public record DummyUdc(String driver, String device, int bus) {
    static final Path SYSFS = Path.of("/sys");

    /** The UDC named {@code name} (null: the first dummy_udc) and its bus, found under {@code sysfs}. */
    public static DummyUdc find(Path sysfs, String name) throws IOException {
        Path classUdc = sysfs.resolve("class/udc");
        String udc = name;
        if (udc == null) {
            try (Stream<Path> entries = Files.list(classUdc)) {
                udc = entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("dummy_udc."))
                        .sorted().findFirst().orElse(null);
            } catch (NoSuchFileException e) {
                udc = null;
            }
            if (udc == null) {
                throw new IOException("no dummy_udc under " + classUdc + ": the kernel needs CONFIG_USB_DUMMY_HCD"
                        + " (and CONFIG_USB_RAW_GADGET)");
            }
        }
        Path udcDevice = classUdc.resolve(udc).resolve("device");
        if (!Files.exists(udcDevice)) {
            throw new NoSuchFileException(udcDevice + " (no UDC named " + udc + ")");
        }
        String driver = udcDevice.resolve("driver").toRealPath().getFileName().toString();
        String instance = udc.substring(udc.lastIndexOf('.') + 1);
        Path hcd = sysfs.resolve("devices/platform/dummy_hcd." + instance);
        int bus;
        try (Stream<Path> entries = Files.list(hcd)) {
            Path usb = entries.filter(p -> p.getFileName().toString().matches("usb\\d+")).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no USB bus under " + hcd));
            bus = Integer.parseInt(Files.readString(usb.resolve("busnum")).strip());
        } catch (NoSuchFileException e) {
            throw new IOException("no " + hcd + " for " + udc + ": the fuzzer pairs dummy_udc.N with dummy_hcd.N");
        }
        return new DummyUdc(driver, udc, bus);
    }

    /** Where the host shows the emulated device once it has an address: {@code /sys/bus/usb/devices/B-1}. */
    Path hostDevice(Path sysfs) {
        return sysfs.resolve("bus/usb/devices/" + bus + "-1");
    }
}
