package dev.kcovexplorer.kcov.usb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Builds well-formed devices from the kinds the demo kernel has drivers or parsers for: HID keyboards, mice
 * and generic HID (usbhid, hid-generic and the vendor HID drivers, matched by vendor and product), mass
 * storage, printers, hubs (the hub driver in drivers/usb/core), CDC ACM and vendor-specific functions, alone
 * or two in one composite configuration; the device, string and BOS descriptors and the answers a function's
 * class requests read come with them. Every field the kind leaves free is random.
 */
public final class DeviceGenerator {
    /** Vendors of the HID drivers built into the demo kernel (Logitech, Apple, Microsoft, Sony, …). */
    static final int[] HID_VENDORS = {0x046d, 0x05ac, 0x045e, 0x054c, 0x04f2, 0x046a, 0x04d9, 0x0c45, 0x1241, 0x0458,
        0x04b4, 0x0d62, 0x056a, 0x0e8f, 0x1b1c, 0x0079};
    private static final String[] WORDS = {"Acme", "USB", "Keyboard", "Mouse", "Storage", "Hub", "Printer", "Gadget",
        "Device", "Serial", "\u00c9lan", "\u6d4b\u8bd5", "2.0", "HID", "Composite"};

    private final SplittableRandom random;
    private final List<byte[]> strings = new ArrayList<>();
    private int nextInterface;
    private int nextInEndpoint;
    private int nextOutEndpoint;
    private byte[] hidReport = new byte[0];
    private byte[] hub = new byte[0];
    private final List<byte[]> classAnswers = new ArrayList<>();
    private final List<String> kinds = new ArrayList<>();

    private DeviceGenerator(SplittableRandom random) {
        this.random = random;
    }

    /** A new well-formed device, its first function of any kind, each as likely. */
    public static UsbDevice generate(SplittableRandom random) {
        return new DeviceGenerator(random).build(Kind.values()[random.nextInt(Kind.values().length)]);
    }

    /**
     * A new well-formed device whose first function is of {@code first} (a hub is alone in its device); the rest is
     * drawn as {@link #generate(SplittableRandom)} draws it. Its origin starts with {@code first}'s
     * {@link Kind#label}.
     */
    public static UsbDevice generate(SplittableRandom random, Kind first) {
        return new DeviceGenerator(random).build(first);
    }

    /** The kinds of function a device is made of. */
    public enum Kind {
        HID_KEYBOARD, HID_MOUSE, HID_GENERIC, MASS_STORAGE, PRINTER, HUB, CDC_ACM, VENDOR;

        /** As a device's origin names it: "hid-keyboard", "mass-storage", … */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private UsbDevice build(Kind first) {
        List<Kind> functions = new ArrayList<>(List.of(first));
        if (first != Kind.HUB && random.nextInt(4) == 0) {
            Kind second;
            do {
                second = Kind.values()[random.nextInt(Kind.values().length)];
            } while (second == Kind.HUB);
            functions.add(second);
        }
        Descriptors.Writer body = new Descriptors.Writer();
        boolean associations = functions.size() > 1 && random.nextBoolean();
        for (Kind kind : functions) {
            kinds.add(kind.label());
            body.bytes(function(kind, associations));
        }
        int manufacturer = text();
        int product = text();
        int serial = random.nextBoolean() ? text() : 0;
        int configurationName = random.nextInt(3) == 0 ? text() : 0;
        boolean isHub = first == Kind.HUB;
        int bcdUsb = new int[] {0x0110, 0x0200, 0x0200, 0x0201, 0x0210}[random.nextInt(5)];
        int vendor = first.name().startsWith("HID") && random.nextBoolean()
                ? HID_VENDORS[random.nextInt(HID_VENDORS.length)] : random.nextInt(0x10000);
        byte[] device = Descriptors.device(bcdUsb, isHub ? 9 : functions.size() > 1 && associations ? 0xef : 0,
                isHub ? 0 : functions.size() > 1 && associations ? 2 : 0, isHub ? random.nextInt(3)
                        : functions.size() > 1 && associations ? 1 : 0,
                64, vendor, random.nextInt(0x10000), random.nextInt(0x10000), manufacturer, product, serial, 1);
        int attributes = 0x80 | (random.nextBoolean() ? 0x40 : 0) | (random.nextBoolean() ? 0x20 : 0);
        byte[] configuration = Descriptors.configuration(nextInterface, 1 + random.nextInt(3), configurationName,
                attributes, random.nextInt(251), body.toArray());
        byte[] bos = bcdUsb >= 0x0201 ? Descriptors.bos(bosCapabilities()) : new byte[0];
        if (classAnswers.isEmpty()) {
            classAnswers.add(randomBytes(random.nextInt(9)));
        }
        return new UsbDevice(device, configuration, strings, hidReport, bos, hub, classAnswers, true,
                String.join("+", kinds));
    }

    private byte[][] bosCapabilities() {
        List<byte[]> capabilities = new ArrayList<>();
        capabilities.add(Descriptors.usb2Extension(random.nextInt(4) == 0 ? 0 : 0x1e));
        if (random.nextBoolean()) {
            capabilities.add(Descriptors.containerId(randomBytes(16)));
        }
        return capabilities.toArray(byte[][]::new);
    }

    /** One function's interface descriptors (with an association descriptor when asked) and what follows them. */
    private byte[] function(Kind kind, boolean association) {
        Descriptors.Writer w = new Descriptors.Writer();
        int first = nextInterface;
        byte[] interfaces = switch (kind) {
            case HID_KEYBOARD -> hid(1, 1, HidReportGenerator.bootKeyboard(), 8);
            case HID_MOUSE -> hid(1, 2, HidReportGenerator.bootMouse(), 4);
            case HID_GENERIC -> hid(0, 0, HidReportGenerator.random(random), 1 + random.nextInt(64));
            case MASS_STORAGE -> massStorage();
            case PRINTER -> printer();
            case HUB -> hubInterface();
            case CDC_ACM -> cdcAcm();
            case VENDOR -> vendor();
        };
        if (association) {
            int[] cls = switch (kind) {
                case HID_KEYBOARD, HID_MOUSE, HID_GENERIC -> new int[] {3, 0, 0};
                case MASS_STORAGE -> new int[] {8, 6, 0x50};
                case PRINTER -> new int[] {7, 1, 2};
                case CDC_ACM -> new int[] {2, 2, 1};
                default -> new int[] {0xff, 0, 0};
            };
            w.bytes(Descriptors.interfaceAssociation(first, nextInterface - first, cls[0], cls[1], cls[2]));
        }
        return w.bytes(interfaces).toArray();
    }

    private byte[] hid(int subClass, int protocol, byte[] report, int maxPacket) {
        if (hidReport.length == 0) {
            hidReport = report;
        } else {
            report = hidReport; // one report descriptor is served for every HID interface
        }
        boolean output = random.nextInt(3) == 0;
        Descriptors.Writer w = new Descriptors.Writer()
                .bytes(Descriptors.iface(nextInterface++, 0, output ? 2 : 1, 3, subClass, protocol, optionalText()))
                .bytes(Descriptors.hid(random.nextBoolean() ? 0x0111 : 0x0110, random.nextInt(4) == 0 ? random.nextInt(36) : 0,
                        report.length))
                .bytes(Descriptors.endpoint(in(), 3, maxPacket, 1 + random.nextInt(16)));
        if (output) {
            w.bytes(Descriptors.endpoint(out(), 3, maxPacket, 1 + random.nextInt(16)));
        }
        return w.toArray();
    }

    private byte[] massStorage() {
        int subClass = 1 + random.nextInt(6);
        int protocol = new int[] {0x00, 0x01, 0x50, 0x50, 0x62}[random.nextInt(5)];
        classAnswers.add(new byte[] {(byte) random.nextInt(16)}); // GET_MAX_LUN
        return new Descriptors.Writer()
                .bytes(Descriptors.iface(nextInterface++, 0, 2, 8, subClass, protocol, optionalText()))
                .bytes(Descriptors.endpoint(in(), 2, 512, 0))
                .bytes(Descriptors.endpoint(out(), 2, 512, 0)).toArray();
    }

    private byte[] printer() {
        int protocol = 1 + random.nextInt(3);
        String id = "MFG:" + word() + ";MDL:" + word() + ";CMD:PCL,PJL;CLS:PRINTER;";
        byte[] text = id.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        // IEEE 1284 device ID: a big-endian length that counts itself, then the text (GET_DEVICE_ID).
        classAnswers.add(new Descriptors.Writer().u8((text.length + 2) >>> 8).u8(text.length + 2).bytes(text).toArray());
        Descriptors.Writer w = new Descriptors.Writer()
                .bytes(Descriptors.iface(nextInterface++, 0, protocol == 1 ? 1 : 2, 7, 1, protocol, optionalText()))
                .bytes(Descriptors.endpoint(out(), 2, 512, 0));
        if (protocol != 1) {
            w.bytes(Descriptors.endpoint(in(), 2, 512, 0));
        }
        return w.toArray();
    }

    private byte[] hubInterface() {
        int ports = 1 + random.nextInt(7);
        hub = Descriptors.hub(ports, random.nextInt(0x100), 1 + random.nextInt(50), random.nextInt(100));
        // GET_STATUS of the hub, then of each port: powered, and now and then one connected with its change bit,
        // a high-speed device half the time, else a full- or a low-speed one (HubPorts).
        classAnswers.add(new byte[] {0, 0, 0, 0});
        for (int port = 0; port < ports; port++) {
            boolean connected = random.nextInt(4) == 0;
            int speed = random.nextBoolean() ? HubPorts.HIGH_SPEED : random.nextBoolean() ? HubPorts.LOW_SPEED : 0;
            classAnswers.add(new Descriptors.Writer().u16(0x0100 | (connected ? 0x0001 | speed : 0))
                    .u16(connected ? 0x0001 : 0).toArray());
        }
        return new Descriptors.Writer()
                .bytes(Descriptors.iface(nextInterface++, 0, 1, 9, 0, 0, 0))
                .bytes(Descriptors.endpoint(in(), 3, 1, 12)).toArray();
    }

    private byte[] cdcAcm() {
        int control = nextInterface++;
        int data = nextInterface++;
        return new Descriptors.Writer()
                .bytes(Descriptors.iface(control, 0, 1, 2, 2, 1, optionalText()))
                .bytes(Descriptors.classInterface(0x00, new byte[] {0x10, 0x01}))                    // header, CDC 1.10
                .bytes(Descriptors.classInterface(0x01, new byte[] {0x00, (byte) data}))             // call management
                .bytes(Descriptors.classInterface(0x02, new byte[] {(byte) random.nextInt(16)}))     // ACM capabilities
                .bytes(Descriptors.classInterface(0x06, new byte[] {(byte) control, (byte) data}))   // union
                .bytes(Descriptors.endpoint(in(), 3, 16, 9))
                .bytes(Descriptors.iface(data, 0, 2, 10, 0, 0, 0))
                .bytes(Descriptors.endpoint(in(), 2, 512, 0))
                .bytes(Descriptors.endpoint(out(), 2, 512, 0)).toArray();
    }

    private byte[] vendor() {
        int number = nextInterface++;
        Descriptors.Writer w = new Descriptors.Writer();
        int alternates = 1 + (random.nextInt(3) == 0 ? 1 : 0);
        int usedIn = nextInEndpoint;
        int usedOut = nextOutEndpoint;
        for (int alternate = 0; alternate < alternates; alternate++) {
            int endpoints = random.nextInt(4);
            w.bytes(Descriptors.iface(number, alternate, endpoints, 0xff, random.nextInt(0x100), random.nextInt(0x100),
                    optionalText()));
            int firstIn = nextInEndpoint;
            int firstOut = nextOutEndpoint;
            for (int e = 0; e < endpoints; e++) {
                int type = 1 + random.nextInt(3);
                int maxPacket = type == 2 ? 512 : type == 1 ? 1 + random.nextInt(1024) : 1 + random.nextInt(64);
                w.bytes(Descriptors.endpoint(random.nextBoolean() ? in() : out(), type, maxPacket,
                        type == 2 ? 0 : 1 + random.nextInt(16)));
            }
            usedIn = Math.max(usedIn, nextInEndpoint);
            usedOut = Math.max(usedOut, nextOutEndpoint);
            nextInEndpoint = firstIn; // an alternate setting reuses its interface's endpoint numbers
            nextOutEndpoint = firstOut;
        }
        nextInEndpoint = usedIn;
        nextOutEndpoint = usedOut;
        return w.toArray();
    }

    /** The next free IN endpoint address (0x81 …), numbers apart from the OUT ones. */
    private int in() {
        return 0x80 | (1 + 2 * (nextInEndpoint++ % 7));
    }

    private int out() {
        return 2 + 2 * (nextOutEndpoint++ % 7);
    }

    private int optionalText() {
        return random.nextInt(3) == 0 ? text() : 0;
    }

    /** Adds a string descriptor and answers its index; 0 once the device has as many as it may hold. */
    private int text() {
        if (strings.size() == UsbDevice.MAX_STRINGS) {
            return 0;
        }
        StringBuilder text = new StringBuilder(word());
        for (int i = random.nextInt(3); i > 0; i--) {
            text.append(' ').append(word());
        }
        strings.add(Descriptors.string(text.toString()));
        return strings.size();
    }

    private String word() {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
