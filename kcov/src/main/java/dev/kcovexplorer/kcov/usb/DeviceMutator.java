package dev.kcovexplorer.kcov.usb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Changes a device a little, as a coverage-guided fuzzer does with an input that reached new code. Most
 * mutations know the descriptor layouts: a field that does not shape the blob (a class, an ID, an attribute,
 * a usage) gets an interesting value and the device stays well-formed; an interface of another generated
 * device is spliced in with the counts and lengths fixed. The others break structure on purpose (a count or
 * length field, a dropped or doubled descriptor, flipped bits, a cut or grown blob), which is what the
 * kernel's descriptor parsers must survive; such a device is no longer well-formed. No result holds more
 * bytes than {@link UsbDevice} allows.
 */
public final class DeviceMutator {
    private static final int[] INTERESTING = {0, 1, 2, 0x7f, 0x80, 0xff, 0x40, 0x3f, 0x10, 0x08, 0x20, 0xfe};

    private DeviceMutator() {
    }

    /** One to three mutations of {@code device} at fixed odds: the fresh devices', alike for both campaigns. */
    public static UsbDevice mutate(UsbDevice device, SplittableRandom random) {
        UsbDevice result = device;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            result = once(result, random);
        }
        return result;
    }

    private static UsbDevice once(UsbDevice device, SplittableRandom random) {
        if (random.nextInt(10) == 0) {
            return faults(device, random);
        }
        if (random.nextInt(12) == 0) {
            return dwell(device, random);
        }
        // A device that is asked class questions (a hub's statuses, a printer's ID) has its answers changed
        // more often: they steer its driver, while its descriptors have been read by then. A hub's, mostly one
        // port bit at a time: the hub driver's paths hang on single bits that a random byte rarely sets.
        if (device.hubDescriptor().length > 0 && random.nextInt(2) == 0) {
            return random.nextInt(3) == 0 ? classAnswers(device, random) : hubPort(device, random);
        }
        int choice = random.nextInt(100);
        if (choice < 24) {
            return tweakConfigurationField(device, random);
        }
        if (choice < 34) {
            return tweakDeviceField(device, random);
        }
        if (choice < 46) {
            return splice(device, DeviceGenerator.generate(random), random);
        }
        if (choice < 54) {
            return tweakReport(device, random);
        }
        if (choice < 60) {
            return dropOrDouble(device, random);
        }
        if (choice < 68) {
            return havoc(device, random);
        }
        if (choice < 74) {
            return resize(device, random);
        }
        if (choice < 80) {
            return strings(device, random);
        }
        if (choice < 86) {
            return refusal(device, random);
        }
        if (choice < 94) {
            return endpoint(device, random);
        }
        return classAnswers(device, random);
    }

    /**
     * The mutations a guided campaign chooses among by what their mutants found ({@link Choice}); {@link #once}'s
     * fixed odds are kept for the fresh devices, which both campaigns of a seed must draw alike. Which of them pays
     * differs from campaign to campaign (over seeds 60–67 and 80–99 splice brought 6.8 and then 1.9 new PCs a second
     * of its mutants, drop/double 1.5 and then 5.4), so the odds are learnt in the campaign, not fixed.
     */
    enum Operator {
        FAULT, DWELL, CLASS_ANSWERS, CONFIG_FIELD, DEVICE_FIELD, SPLICE, REPORT, DROP_OR_DOUBLE, HAVOC,
        RESIZE, STRINGS, REFUSAL, ENDPOINT, ALTERNATE
    }

    /** Picks one of the operators a device offers ({@link #operators}). */
    @FunctionalInterface
    interface Choice {
        Operator pick(List<Operator> offered, SplittableRandom random);
    }

    /**
     * The operators that change {@code device} as they are named: a report's bytes only with a report, a string
     * only with strings, a device field with a whole device descriptor, a configuration field with a descriptor, a
     * drop or double with a descriptor after the configuration's, a splice in a well-formed configuration with an
     * interface, an endpoint with an endpoint, an alternate setting with an interface (else they would quietly do
     * another operator's mutation, and its finds would be credited to the wrong one: a hub's configuration of the
     * last campaigns had no endpoint an endpoint mutation could take, and a malformed mutant no interface a splice
     * could replace).
     */
    static List<Operator> operators(UsbDevice device) {
        List<Operator> offered = new ArrayList<>(List.of(Operator.values()));
        if (device.hidReport().length == 0) {
            offered.remove(Operator.REPORT);
        }
        if (device.strings().isEmpty()) {
            offered.remove(Operator.STRINGS);
        }
        if (device.device().length < Descriptors.DEVICE_SIZE) {
            offered.remove(Operator.DEVICE_FIELD);
        }
        byte[] config = device.configuration();
        List<int[]> walk = DescriptorWalk.of(config);
        int descriptors = walk.size();
        if (descriptors == 0) {
            offered.remove(Operator.CONFIG_FIELD);
        }
        if (descriptors < 2) {
            offered.remove(Operator.DROP_OR_DOUBLE);
        }
        if (!device.wellFormed() || DescriptorWalk.interfaceGroups(config).isEmpty()) {
            offered.remove(Operator.SPLICE);
        }
        if (endpoints(config, walk).isEmpty()) {
            offered.remove(Operator.ENDPOINT);
        }
        if (settings(config, walk).isEmpty()) {
            offered.remove(Operator.ALTERNATE);
        }
        return offered;
    }

    /**
     * One to three mutations of {@code device}, each by the operator {@code choice} picks of those it offers; a
     * hub's, half of the time its ports' behaviour as {@link #once} does. Those stay out of the choice: guided's
     * steady gain over blind is in hub_port_init (+10 to +12 lines in 4 of 8 pairs of seeds 80–95), from port
     * mutations whose mutants, slow hub connections, bring fewer PCs a second than the average mutation.
     */
    static UsbDevice mutate(UsbDevice device, SplittableRandom random, Choice choice) {
        UsbDevice result = device;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            result = chosen(result, random, choice);
        }
        return result;
    }

    /**
     * An interface of {@code donor} (another corpus entry) takes the place of one of {@code device}'s, renumbered,
     * then up to two mutations more, each by the operator {@code choice} picks: two inputs that each reached
     * something of their own, in one device. When either is malformed, a byte mutation instead. Only guided makes
     * crossovers, so there is no fixed-odds one.
     */
    static UsbDevice crossover(UsbDevice device, UsbDevice donor, SplittableRandom random, Choice choice) {
        UsbDevice result = splice(device, donor, random);
        for (int n = random.nextInt(3); n > 0; n--) {
            result = chosen(result, random, choice);
        }
        return result;
    }

    /**
     * A hub's fixed mutations: its answers, a port's behaviour, and one time in eight another setting of its
     * interface. A multi-TT hub (bDeviceProtocol 2, a third of the generated hubs) is asked for setting 1, which
     * no generated hub has: with it, the host's usb_set_interface runs through instead of giving up at once.
     */
    private static UsbDevice chosen(UsbDevice device, SplittableRandom random, Choice choice) {
        if (device.hubDescriptor().length > 0 && random.nextInt(2) == 0) {
            int pick = random.nextInt(24);
            return pick < 3 ? alternate(device, random) : pick < 10 ? classAnswers(device, random)
                    : hubPort(device, random);
        }
        return apply(choice.pick(operators(device), random), device, random);
    }

    /** One mutation of {@code device} by {@code operator}. */
    static UsbDevice apply(Operator operator, UsbDevice device, SplittableRandom random) {
        return switch (operator) {
            case FAULT -> faults(device, random);
            case DWELL -> dwell(device, random);
            case CLASS_ANSWERS -> classAnswers(device, random);
            case CONFIG_FIELD -> tweakConfigurationField(device, random);
            case DEVICE_FIELD -> tweakDeviceField(device, random);
            case SPLICE -> splice(device, DeviceGenerator.generate(random), random);
            case REPORT -> tweakReport(device, random);
            case DROP_OR_DOUBLE -> dropOrDouble(device, random);
            case HAVOC -> havoc(device, random);
            case RESIZE -> resize(device, random);
            case STRINGS -> strings(device, random);
            case REFUSAL -> refusal(device, random);
            case ENDPOINT -> endpoint(device, random);
            case ALTERNATE -> alternate(device, random);
        };
    }

    /** A field of a configuration-blob descriptor; a field that shapes the blob makes it malformed. */
    private static UsbDevice tweakConfigurationField(UsbDevice device, SplittableRandom random) {
        byte[] config = device.configuration();
        List<int[]> descriptors = DescriptorWalk.of(config);
        if (descriptors.isEmpty()) {
            return havoc(device, random);
        }
        int[] d = descriptors.get(random.nextInt(descriptors.size()));
        int length = d[1];
        if (length <= 2) {
            return havoc(device, random);
        }
        int offset = 2 + random.nextInt(length - 2);
        config[d[0] + offset] = (byte) value(config[d[0] + offset], random);
        boolean shapes = DescriptorWalk.shapesBlob(config[d[0] + 1] & 0xff, offset);
        return device.with(null, config, null, null, null, null, null, !shapes, "config field");
    }

    /** A device descriptor field: IDs, classes, versions; bLength, the type and bNumConfigurations shape it. */
    private static UsbDevice tweakDeviceField(UsbDevice device, SplittableRandom random) {
        byte[] bytes = device.device();
        if (bytes.length < Descriptors.DEVICE_SIZE) {
            return havoc(device, random);
        }
        if (random.nextInt(3) == 0) {
            int vendor = DeviceGenerator.HID_VENDORS[random.nextInt(DeviceGenerator.HID_VENDORS.length)];
            bytes[8] = (byte) vendor;
            bytes[9] = (byte) (vendor >>> 8);
            bytes[10] = (byte) random.nextInt(256);
            bytes[11] = (byte) random.nextInt(256);
            return device.with(bytes, null, null, null, null, null, null, true, "vendor");
        }
        int offset = 2 + random.nextInt(Descriptors.DEVICE_SIZE - 2);
        bytes[offset] = (byte) value(bytes[offset], random);
        // bNumConfigurations, the string indexes, and a bMaxPacketSize0 USB does not allow shape the device.
        boolean shapes = offset >= 14 || offset == 7 && !validMaxPacket(bytes[7] & 0xff);
        return device.with(bytes, null, null, null, null, null, null, !shapes, "device field");
    }

    private static boolean validMaxPacket(int value) {
        return value == 8 || value == 16 || value == 32 || value == 64;
    }

    /**
     * An interface of {@code donor} (freshly generated, or another corpus entry) takes the place of one of this
     * one's, renumbered. Both must be well-formed: the renumbering reads an interface descriptor's fields where
     * a well-formed group has them.
     */
    private static UsbDevice splice(UsbDevice device, UsbDevice donor, SplittableRandom random) {
        byte[] config = device.configuration();
        List<byte[]> groups = DescriptorWalk.interfaceGroups(config);
        List<byte[]> donorGroups = DescriptorWalk.interfaceGroups(donor.configuration());
        if (groups.isEmpty() || donorGroups.isEmpty() || !device.wellFormed() || !donor.wellFormed()) {
            return havoc(device, random);
        }
        int victim = random.nextInt(groups.size());
        groups.set(victim, donorGroups.get(random.nextInt(donorGroups.size())));
        byte[] report = device.hidReport().length == 0 ? donor.hidReport() : device.hidReport();
        byte[] rebuilt = DescriptorWalk.rebuild(config, groups, victim, report.length);
        if (rebuilt == null) {
            return havoc(device, random);
        }
        return device.with(null, rebuilt, null, report, null, null, null, true, "splice");
    }

    /** A data byte of a HID report item: usages, extents, sizes; a prefix byte changes the grammar. */
    private static UsbDevice tweakReport(UsbDevice device, SplittableRandom random) {
        byte[] report = device.hidReport();
        if (report.length == 0) {
            return tweakConfigurationField(device, random);
        }
        int offset = random.nextInt(report.length);
        boolean prefix = HidItems.isPrefix(report, offset);
        if (prefix && random.nextInt(4) != 0) {
            int data = HidItems.dataOffset(report, offset);
            if (data < 0) {
                return device;
            }
            offset = data;
            prefix = false;
        }
        report[offset] = (byte) value(report[offset], random);
        return device.with(null, null, null, report, null, null, null, !prefix, "report");
    }

    /** A descriptor of the configuration dropped or doubled: its counts no longer say what follows. */
    private static UsbDevice dropOrDouble(UsbDevice device, SplittableRandom random) {
        byte[] config = device.configuration();
        List<int[]> descriptors = DescriptorWalk.of(config);
        if (descriptors.size() < 2) {
            return havoc(device, random);
        }
        int[] d = descriptors.get(1 + random.nextInt(descriptors.size() - 1));
        byte[] out;
        if (random.nextBoolean()) {
            out = new byte[config.length - d[1]];
            System.arraycopy(config, 0, out, 0, d[0]);
            System.arraycopy(config, d[0] + d[1], out, d[0], config.length - d[0] - d[1]);
        } else {
            if (config.length + d[1] > UsbDevice.MAX_BLOB) {
                return device;
            }
            out = new byte[config.length + d[1]];
            System.arraycopy(config, 0, out, 0, d[0] + d[1]);
            System.arraycopy(config, d[0], out, d[0] + d[1], config.length - d[0]);
        }
        DescriptorWalk.setTotalLength(out, random.nextBoolean());
        return device.with(null, out, null, null, null, null, null, false, "drop/double");
    }

    /** Random bytes of a random part set to interesting or random values, length fields included. */
    private static UsbDevice havoc(UsbDevice device, SplittableRandom random) {
        int part = random.nextInt(4);
        byte[] bytes = switch (part) {
            case 0 -> device.configuration();
            case 1 -> device.device();
            case 2 -> device.hidReport();
            default -> device.bos();
        };
        if (bytes.length == 0) {
            return part == 0 ? device : havocConfig(device, random);
        }
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            int i = random.nextInt(bytes.length);
            bytes[i] = random.nextBoolean() ? (byte) value(bytes[i], random) : (byte) (bytes[i] ^ 1 << random.nextInt(8));
        }
        return switch (part) {
            case 0 -> device.with(null, bytes, null, null, null, null, null, false, "havoc config");
            case 1 -> device.with(bytes, null, null, null, null, null, null, false, "havoc device");
            case 2 -> device.with(null, null, null, bytes, null, null, null, false, "havoc report");
            default -> device.with(null, null, null, null, bytes, null, null, false, "havoc bos");
        };
    }

    private static UsbDevice havocConfig(UsbDevice device, SplittableRandom random) {
        byte[] config = device.configuration();
        if (config.length == 0) {
            return device;
        }
        int i = random.nextInt(config.length);
        config[i] = (byte) value(config[i], random);
        return device.with(null, config, null, null, null, null, null, false, "havoc config");
    }

    /** A blob cut short or grown with random bytes, never past its limit. */
    private static UsbDevice resize(UsbDevice device, SplittableRandom random) {
        boolean config = random.nextBoolean();
        byte[] bytes = config ? device.configuration() : device.hidReport();
        int length = random.nextBoolean() ? random.nextInt(bytes.length + 1)
                : Math.min(UsbDevice.MAX_BLOB, bytes.length + 1 + random.nextInt(64));
        byte[] resized = Arrays.copyOf(bytes, length);
        for (int i = bytes.length; i < length; i++) {
            resized[i] = (byte) random.nextInt(256);
        }
        return config ? device.with(null, resized, null, null, null, null, null, false, "resize config")
                : device.with(null, null, null, resized, null, null, null, false, "resize report");
    }

    /** A string replaced: other text (well-formed), or raw bytes with a bLength that may lie. */
    private static UsbDevice strings(UsbDevice device, SplittableRandom random) {
        List<byte[]> strings = device.strings();
        if (strings.isEmpty()) {
            return classAnswers(device, random);
        }
        int index = random.nextInt(strings.size());
        if (random.nextBoolean()) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                text.appendCodePoint(random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x2000) : 0x20 + random.nextInt(0x5f));
            }
            strings.set(index, Descriptors.string(text.toString()));
            return device.with(null, null, strings, null, null, null, null, true, "string");
        }
        byte[] raw = new byte[random.nextInt(UsbDevice.MAX_STRING + 1)];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) random.nextInt(256);
        }
        if (raw.length >= 2) {
            raw[1] = Descriptors.STRING;
        }
        strings.set(index, raw);
        return device.with(null, null, strings, null, null, null, null, false, "raw string");
    }

    /**
     * The answers to class and vendor reads: a bit of one flipped (a port's connection, enable, reset or change
     * bit), one replaced, one added after a copy of another (the next state of a port), one removed; or a byte of
     * a hub's descriptor.
     */
    private static UsbDevice classAnswers(UsbDevice device, SplittableRandom random) {
        if (device.hubDescriptor().length > 0 && random.nextInt(4) == 0) {
            byte[] hub = device.hubDescriptor();
            int offset = random.nextInt(hub.length);
            hub[offset] = (byte) value(hub[offset], random);
            // bLength, the type and the port count (which sizes the port bitmaps) shape the descriptor.
            return device.with(null, null, null, null, null, hub, null, offset > 2, "hub descriptor");
        }
        List<byte[]> answers = device.classAnswers();
        int choice = random.nextInt(10);
        if (answers.isEmpty() || choice == 0) {
            byte[] answer = new byte[random.nextInt(33)];
            for (int i = 0; i < answer.length; i++) {
                answer[i] = (byte) (random.nextInt(3) == 0 ? INTERESTING[random.nextInt(INTERESTING.length)]
                        : random.nextInt(256));
            }
            if (answers.isEmpty()) {
                answers.add(answer);
            } else {
                answers.set(random.nextInt(answers.size()), answer);
            }
        } else if (choice < 7) {
            byte[] answer = answers.get(random.nextInt(answers.size()));
            if (answer.length > 0) {
                int bit = random.nextInt(Math.min(answer.length, 4) * 8);
                answer[bit / 8] ^= (byte) (1 << bit % 8);
            }
        } else if (choice < 9 && answers.size() < UsbDevice.MAX_CLASS_ANSWERS) {
            int from = random.nextInt(answers.size());
            byte[] next = answers.get(from).clone();
            if (next.length > 0) {
                int bit = random.nextInt(Math.min(next.length, 4) * 8);
                next[bit / 8] ^= (byte) (1 << bit % 8);
            }
            answers.add(from + 1, next);
        } else if (answers.size() > 1) {
            answers.remove(random.nextInt(answers.size()));
        }
        return device.with(null, null, null, null, null, null, answers, true, "class answers");
    }

    /** wPortStatus bits a port's answer may have, one toggled at a time (USB 2.0 table 11-21). */
    private static final int[] PORT_STATUS_BITS = {HubPorts.CONNECTION, HubPorts.ENABLE, HubPorts.SUSPEND,
        HubPorts.OVER_CURRENT, HubPorts.RESET, HubPorts.POWER, HubPorts.LOW_SPEED, HubPorts.HIGH_SPEED, HubPorts.TEST,
        HubPorts.INDICATOR};
    /** wPortChange bits (table 11-22). */
    private static final int[] PORT_CHANGE_BITS = {HubPorts.C_CONNECTION, HubPorts.C_ENABLE, HubPorts.C_SUSPEND,
        HubPorts.C_OVER_CURRENT, HubPorts.C_RESET};
    /** wHubStatus and wHubChange bits: local power source, over-current (tables 11-19, 11-20). */
    private static final int[] HUB_STATUS_BITS = {0x0001, 0x0002};

    /**
     * One meaningful bit of a hub's behaviour: the hub's own status or change (local power, over-current), a
     * port's status (connection, enable, suspend, over-current, reset, power, speed, test, indicator) or change
     * (connection, enable, suspend, over-current, reset), a device plugged into a port (connected, powered, its
     * change set, at some speed), or how a port misbehaves on reset ({@link HubPorts}). The hub driver's
     * over-current, re-enable, suspend and reset-failure paths each hang on one such bit; a flipped byte sets it
     * one time in 32 at best. The answers stay the size the host reads (4 bytes, 5 with the misbehaviour), so the
     * device stays as well-formed as it was.
     */
    static UsbDevice hubPort(UsbDevice device, SplittableRandom random) {
        byte[] hub = device.hubDescriptor();
        // Answer 0 is the hub's status, answer 1 + p port p's: as many ports as the answers can hold.
        int ports = hub.length > 2 ? Math.min(hub[2] & 0xff, UsbDevice.MAX_CLASS_ANSWERS - 1) : 0;
        List<byte[]> answers = device.classAnswers();
        if (ports == 0 || answers.isEmpty()) {
            return classAnswers(device, random);
        }
        if (random.nextInt(8) == 0) {
            byte[] status = Arrays.copyOf(answers.get(0), Math.max(4, answers.get(0).length));
            toggle(status, random.nextBoolean() ? 0 : 2, HUB_STATUS_BITS[random.nextInt(HUB_STATUS_BITS.length)]);
            answers.set(0, status);
            return device.with(null, null, null, null, null, null, answers, true, "hub status");
        }
        int port = random.nextInt(ports);
        while (answers.size() <= port + 1) {
            answers.add(new byte[] {0, 1, 0, 0}); // powered, nothing connected
        }
        byte[] answer = Arrays.copyOf(answers.get(port + 1), Math.max(4, answers.get(port + 1).length));
        int choice = random.nextInt(10);
        String step;
        if (choice < 2) {
            int speed = random.nextBoolean() ? HubPorts.HIGH_SPEED : random.nextBoolean() ? HubPorts.LOW_SPEED : 0;
            int status = (answer[0] & 0xff | (answer[1] & 0xff) << 8) & ~(HubPorts.HIGH_SPEED | HubPorts.LOW_SPEED)
                    | HubPorts.POWER | HubPorts.CONNECTION | speed;
            answer[0] = (byte) status;
            answer[1] = (byte) (status >>> 8);
            answer[2] |= (byte) HubPorts.C_CONNECTION;
            step = "port plug";
        } else if (choice < 5) {
            toggle(answer, 0, PORT_STATUS_BITS[random.nextInt(PORT_STATUS_BITS.length)]);
            step = "port status";
        } else if (choice < 8) {
            toggle(answer, 2, PORT_CHANGE_BITS[random.nextInt(PORT_CHANGE_BITS.length)]);
            step = "port change";
        } else {
            answer = Arrays.copyOf(answer, Math.max(5, answer.length));
            answer[4] ^= (byte) new int[] {HubPorts.RESET_HANGS, HubPorts.RESET_DISABLES,
                HubPorts.RESET_DISCONNECTS}[random.nextInt(3)];
            step = "port misbehaves";
        }
        answers.set(port + 1, answer);
        return device.with(null, null, null, null, null, null, answers, true, step);
    }

    /** Toggles {@code bit} of the little-endian 16-bit word at {@code offset}. */
    private static void toggle(byte[] bytes, int offset, int bit) {
        bytes[offset] ^= (byte) bit;
        bytes[offset + 1] ^= (byte) (bit >>> 8);
    }

    /**
     * Standard requests a device may refuse for good: a configuration change (the host's usb_set_configuration
     * then fails after it has built the interfaces and must take them down), an alternate setting, its strings,
     * its BOS, a report descriptor, a status or feature request.
     */
    private static final UsbDevice.Refusal[] REFUSABLE = {
        new UsbDevice.Refusal(ControlResponder.SET_CONFIGURATION, 0),
        new UsbDevice.Refusal(ControlResponder.SET_INTERFACE, 0),
        new UsbDevice.Refusal(ControlResponder.GET_DESCRIPTOR, Descriptors.STRING),
        new UsbDevice.Refusal(ControlResponder.GET_DESCRIPTOR, Descriptors.BOS),
        new UsbDevice.Refusal(ControlResponder.GET_DESCRIPTOR, Descriptors.HID_REPORT),
        new UsbDevice.Refusal(ControlResponder.GET_DESCRIPTOR, Descriptors.CONFIGURATION),
        new UsbDevice.Refusal(ControlResponder.GET_STATUS, 0),
        new UsbDevice.Refusal(ControlResponder.SET_FEATURE, 0),
        new UsbDevice.Refusal(ControlResponder.CLEAR_FEATURE, 0),
    };

    /** A standard request refused from now on, or no longer ({@link UsbDevice.Refusal}). */
    static UsbDevice refusal(UsbDevice device, SplittableRandom random) {
        List<UsbDevice.Refusal> refusals = new ArrayList<>(device.refusals());
        UsbDevice.Refusal refusal = REFUSABLE[random.nextInt(REFUSABLE.length)];
        if (refusals.contains(refusal)) {
            refusals.remove(refusal);
        } else if (refusals.size() < UsbDevice.MAX_REFUSALS) {
            refusals.add(refusal);
        } else {
            refusals.set(random.nextInt(refusals.size()), refusal);
        }
        return device.withRefusals(refusals, "refuse");
    }

    /**
     * The device dwells otherwise once configured ({@link UsbDevice.Dwell}): it lets the host suspend it, and is
     * then unplugged, or unplugged and plugged in again at once; or no longer dwells. Only the dwell changes.
     */
    static UsbDevice dwell(UsbDevice device, SplittableRandom random) {
        UsbDevice.Dwell[] others = Arrays.stream(UsbDevice.Dwell.values()).filter(d -> d != device.dwell())
                .toArray(UsbDevice.Dwell[]::new);
        UsbDevice.Dwell dwell = others[random.nextInt(others.length)];
        return device.withDwell(dwell, dwell == UsbDevice.Dwell.NONE ? "no dwell" : "dwell");
    }

    /**
     * An interface gets one more alternate setting: a copy of one of its settings (endpoints and class descriptors
     * included, as an alternate setting reuses its interface's endpoint numbers) after its last one, numbered next,
     * or now and then with any number (one taken, one past a gap), which the host's parser must sort out. Only
     * guided's mutants get it, not the fresh devices. usb_set_interface (15 lines of drivers/usb/core that decided
     * pairs 90, 91 and 94 either way) runs through only for a setting the device has: the hub driver asks a
     * multi-TT hub (bDeviceProtocol 2) for setting 1, which no generated hub has, and the printer driver switches
     * settings only when it has more than one, which no generated printer has.
     */
    static UsbDevice alternate(UsbDevice device, SplittableRandom random) {
        byte[] config = device.configuration();
        List<int[]> descriptors = DescriptorWalk.of(config);
        List<Integer> settings = settings(config, descriptors);
        if (settings.isEmpty()) {
            return tweakConfigurationField(device, random);
        }
        int setting = settings.get(random.nextInt(settings.size()));
        int number = config[descriptors.get(setting)[0] + 2] & 0xff;
        // The copy: the setting's descriptors up to the next interface's, an interface association left out.
        Descriptors.Writer copy = new Descriptors.Writer();
        for (int i = setting; i < descriptors.size(); i++) {
            int[] d = descriptors.get(i);
            int type = config[d[0] + 1] & 0xff;
            if (i > setting && type == Descriptors.INTERFACE) {
                break;
            }
            if (type != Descriptors.INTERFACE_ASSOCIATION) {
                copy.bytes(Arrays.copyOfRange(config, d[0], d[0] + d[1]));
            }
        }
        // After the last setting of that interface, and numbered after the highest.
        int highest = 0;
        int end = 0;
        boolean inInterface = false;
        for (int[] d : descriptors) {
            int type = config[d[0] + 1] & 0xff;
            if (type == Descriptors.INTERFACE && d[1] >= Descriptors.INTERFACE_SIZE) {
                inInterface = (config[d[0] + 2] & 0xff) == number;
                highest = inInterface ? Math.max(highest, config[d[0] + 3] & 0xff) : highest;
            }
            if (inInterface && type != Descriptors.INTERFACE_ASSOCIATION) {
                end = d[0] + d[1];
            }
        }
        byte[] added = copy.toArray();
        if (config.length + added.length > UsbDevice.MAX_BLOB) {
            return device;
        }
        boolean next = random.nextInt(4) != 0 && highest < 0xff;
        added[3] = (byte) (next ? highest + 1 : value(added[3], random));
        byte[] out = new byte[config.length + added.length];
        System.arraycopy(config, 0, out, 0, end);
        System.arraycopy(added, 0, out, end, added.length);
        System.arraycopy(config, end, out, end + added.length, config.length - end);
        DescriptorWalk.setTotalLength(out, true);
        return device.with(null, out, null, null, null, null, null, device.wellFormed() && next, "alternate");
    }

    /** The indexes, in {@code descriptors} ({@link DescriptorWalk#of config}), of its interface descriptors. */
    private static List<Integer> settings(byte[] config, List<int[]> descriptors) {
        List<Integer> settings = new ArrayList<>();
        for (int i = 0; i < descriptors.size(); i++) {
            int[] d = descriptors.get(i);
            if ((config[d[0] + 1] & 0xff) == Descriptors.INTERFACE && d[1] >= Descriptors.INTERFACE_SIZE) {
                settings.add(i);
            }
        }
        return settings;
    }

    /** The endpoint descriptors among {@code descriptors} ({@link DescriptorWalk#of config}). */
    private static List<int[]> endpoints(byte[] config, List<int[]> descriptors) {
        return descriptors.stream()
                .filter(d -> d[1] >= 7 && (config[d[0] + 1] & 0xff) == Descriptors.ENDPOINT).toList();
    }

    /** wMaxPacketSize values at and past the limits: zero, odd, the largest of each speed, high-bandwidth bits. */
    private static final int[] MAX_PACKETS = {0, 1, 7, 8, 64, 512, 1023, 1024, 0x0400 | 0x0800, 0x0400 | 0x1000,
        0x0400 | 0x1800, 0x0200 | 0x0800, 0x07ff, 0xffff};
    /** bInterval values at and past the limits of each speed and type. */
    private static final int[] INTERVALS = {0, 1, 4, 8, 16, 17, 32, 255};

    /**
     * An endpoint of the configuration at an extreme: its wMaxPacketSize, its bInterval, or its transfer type
     * (isochronous with sync and usage bits, too). These steer the host's endpoint parsing and its bandwidth
     * reservations at configuration time; the blob's shape stays.
     */
    static UsbDevice endpoint(UsbDevice device, SplittableRandom random) {
        byte[] config = device.configuration();
        List<int[]> endpoints = endpoints(config, DescriptorWalk.of(config));
        if (endpoints.isEmpty()) {
            return tweakConfigurationField(device, random);
        }
        int at = endpoints.get(random.nextInt(endpoints.size()))[0];
        switch (random.nextInt(3)) {
            case 0 -> {
                int size = MAX_PACKETS[random.nextInt(MAX_PACKETS.length)];
                config[at + 4] = (byte) size;
                config[at + 5] = (byte) (size >>> 8);
            }
            case 1 -> config[at + 6] = (byte) INTERVALS[random.nextInt(INTERVALS.length)];
            default -> config[at + 3] = (byte) (random.nextInt(4) | (random.nextInt(3) == 0 ? random.nextInt(16) << 2 : 0));
        }
        return device.with(null, config, null, null, null, null, null, true, "endpoint");
    }

    /**
     * A fault added at a request early in the connection (where enumeration happens), moved a few requests on,
     * turned from a stall to a short answer or back, or removed. One fault sends the host down a retry or error
     * path; from there the next fault, a few requests on, goes deeper: a chain guidance climbs a step at a time.
     */
    private static UsbDevice faults(UsbDevice device, SplittableRandom random) {
        List<UsbDevice.Fault> faults = new ArrayList<>(device.faults());
        int choice = random.nextInt(4);
        if (faults.isEmpty() || choice == 0 && faults.size() < UsbDevice.MAX_FAULTS) {
            int request = Math.min(random.nextInt(24) + random.nextInt(24) / 2, UsbDevice.FAULT_REQUESTS - 1);
            if (device.fault(request) == null) {
                faults.add(new UsbDevice.Fault(request, random.nextBoolean()));
            }
        } else {
            int victim = random.nextInt(faults.size());
            UsbDevice.Fault old = faults.get(victim);
            if (choice == 1) {
                int step = (1 + random.nextInt(4)) * (random.nextBoolean() ? 1 : -1);
                int request = Math.max(0, Math.min(UsbDevice.FAULT_REQUESTS - 1, old.request() + step));
                faults.set(victim, device.fault(request) == null ? new UsbDevice.Fault(request, old.stall()) : old);
            } else if (choice == 2) {
                faults.set(victim, new UsbDevice.Fault(old.request(), !old.stall()));
            } else {
                faults.remove(victim);
            }
        }
        return device.withFaults(faults, "fault");
    }

    /** An interesting value, or the old one plus or minus a little, or any byte. */
    private static int value(byte old, SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> INTERESTING[random.nextInt(INTERESTING.length)];
            case 1 -> (old & 0xff) + (random.nextBoolean() ? 1 : -1) & 0xff;
            default -> random.nextInt(256);
        };
    }
}
