package dev.kcovexplorer.kcov.usb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One fuzz input: everything an emulated USB device answers on endpoint 0. The device and configuration
 * descriptors, string descriptors 1…n (string 0, the language list, is fixed), the HID report descriptor, the
 * BOS descriptor (asked for when bcdUSB is 2.01 or more), a hub's class descriptor, and the answers to the other
 * class and vendor reads, in the order they come (a hub's status, then its ports', as they change), the last
 * one again when the list runs out; and its faults: the endpoint-0 requests (counted from the connection's
 * first) it answers badly, with a stall or a data stage cut to half, as a flaky device does once and not on the
 * host's retry; and its refusals: standard requests it always stalls, as firmware that does not support a
 * configuration change, an alternate setting or its strings does. {@code wellFormed} says the generator built it by the USB specification's
 * rules (every bLength the descriptor's size, wTotalLength the blob's, counts matching what follows) and no
 * mutation broke them; mutated inputs may lie in every length field, but never hold more bytes than
 * {@link #MAX_BLOB} (a descriptor blob) or {@link #MAX_STRING} (a string descriptor).
 *
 * <p>Immutable: the arrays are copied in and out.
 */
public final class UsbDevice {
    /** The most bytes of a device, configuration, report, BOS, hub or class answer. */
    public static final int MAX_BLOB = 4096;
    /** A string descriptor's bLength is one byte. */
    public static final int MAX_STRING = 255;
    /** The most string descriptors (indexes 1…n). */
    public static final int MAX_STRINGS = 16;
    /** The most class answers in the sequence: a hub's status and one for each of the 31 ports it may have. */
    public static final int MAX_CLASS_ANSWERS = 32;
    /** The most faults, and the first request no fault can name. */
    public static final int MAX_FAULTS = 8;
    public static final int FAULT_REQUESTS = 64;
    /** The most refusals. */
    public static final int MAX_REFUSALS = 4;

    private final byte[] device;
    private final byte[] configuration;
    private final List<byte[]> strings;
    private final byte[] hidReport;
    private final byte[] bos;
    private final byte[] hubDescriptor;
    private final List<byte[]> classAnswers;
    private final boolean wellFormed;
    private final String origin;
    private final Fault[] faults;
    private final Refusal[] refusals;
    private final Dwell dwell;

    /** Request {@code request} of the connection (0: its first) answered with a stall, or with half its data. */
    public record Fault(int request, boolean stall) {
        public Fault {
            if (request < 0 || request >= FAULT_REQUESTS) {
                throw new IllegalArgumentException("a fault at request " + request + ", at most " + (FAULT_REQUESTS - 1));
            }
        }
    }

    public UsbDevice(byte[] device, byte[] configuration, List<byte[]> strings, byte[] hidReport, byte[] bos,
                     byte[] hubDescriptor, List<byte[]> classAnswers, boolean wellFormed, String origin) {
        this(device, configuration, strings, hidReport, bos, hubDescriptor, classAnswers, wellFormed, origin,
                List.of(), List.of(), Dwell.NONE);
    }

    /**
     * A standard request (bRequest) the device always stalls; for GET_DESCRIPTOR only the descriptor type
     * {@code descriptor} names (the high byte of wValue), for the others {@code descriptor} is 0.
     */
    public record Refusal(int request, int descriptor) {
        public Refusal {
            if (request < 0 || request > 0xff || descriptor < 0 || descriptor > 0xff) {
                throw new IllegalArgumentException("a refusal of request " + request + ", descriptor " + descriptor);
            }
        }

        boolean refuses(SetupPacket setup) {
            return setup.type() == 0 && setup.request() == request
                    && (request != ControlResponder.GET_DESCRIPTOR || setup.value() >>> 8 == descriptor);
        }
    }

    /**
     * What the device does once the host has configured it and gone quiet. {@link #NONE}: nothing, it is unplugged
     * when idle. {@link #SUSPEND}: it stays plugged in, its runtime power management allowed with no autosuspend
     * delay, until the host has suspended it (and then the idle bus), then it is unplugged: the host disconnects a
     * suspended device. {@link #REPLUG}: as SUSPEND, then unplugged and plugged in again at once, so hub_event finds a
     * connected port under a suspended device and resumes it (a remote wakeup, then a reset-resume that reads the
     * descriptors again). The host's runtime suspend runs in the PM workqueue, outside the fuzzer's coverage; its
     * resume inside hub_event is what these reach: usb_port_resume, usb_resume_both, hub_activate, a driver's resume.
     * By itself a device reached them only when the bus happened to stay idle past autosuspend.
     */
    public enum Dwell { NONE, SUSPEND, REPLUG }

    public UsbDevice(byte[] device, byte[] configuration, List<byte[]> strings, byte[] hidReport, byte[] bos,
                     byte[] hubDescriptor, List<byte[]> classAnswers, boolean wellFormed, String origin,
                     List<Fault> faults, List<Refusal> refusals, Dwell dwell) {
        this.dwell = Objects.requireNonNull(dwell);
        if (faults.size() > MAX_FAULTS) {
            throw new IllegalArgumentException(faults.size() + " faults, at most " + MAX_FAULTS);
        }
        if (refusals.size() > MAX_REFUSALS) {
            throw new IllegalArgumentException(refusals.size() + " refusals, at most " + MAX_REFUSALS);
        }
        this.faults = faults.toArray(Fault[]::new);
        this.refusals = refusals.toArray(Refusal[]::new);
        this.device = blob("device descriptor", device);
        this.configuration = blob("configuration", configuration);
        if (strings.size() > MAX_STRINGS) {
            throw new IllegalArgumentException(strings.size() + " strings, at most " + MAX_STRINGS);
        }
        List<byte[]> copies = new ArrayList<>(strings.size());
        for (byte[] string : strings) {
            if (string.length > MAX_STRING) {
                throw new IllegalArgumentException("a string descriptor of " + string.length + " bytes, at most "
                        + MAX_STRING);
            }
            copies.add(string.clone());
        }
        this.strings = List.copyOf(copies);
        this.hidReport = blob("HID report descriptor", hidReport);
        this.bos = blob("BOS descriptor", bos);
        this.hubDescriptor = blob("hub descriptor", hubDescriptor);
        if (classAnswers.size() > MAX_CLASS_ANSWERS) {
            throw new IllegalArgumentException(classAnswers.size() + " class answers, at most " + MAX_CLASS_ANSWERS);
        }
        List<byte[]> answers = new ArrayList<>(classAnswers.size());
        for (byte[] answer : classAnswers) {
            answers.add(blob("class answer", answer));
        }
        this.classAnswers = List.copyOf(answers);
        this.wellFormed = wellFormed;
        this.origin = origin;
    }

    private static byte[] blob(String what, byte[] bytes) {
        if (bytes.length > MAX_BLOB) {
            throw new IllegalArgumentException("a " + what + " of " + bytes.length + " bytes, at most " + MAX_BLOB);
        }
        return bytes.clone();
    }

    public byte[] device() {
        return device.clone();
    }

    public byte[] configuration() {
        return configuration.clone();
    }

    /** String descriptor {@code index} (1…n), or null when the device has none there. */
    public byte[] string(int index) {
        return index >= 1 && index <= strings.size() ? strings.get(index - 1).clone() : null;
    }

    public int stringCount() {
        return strings.size();
    }

    public byte[] hidReport() {
        return hidReport.clone();
    }

    public byte[] bos() {
        return bos.clone();
    }

    public byte[] hubDescriptor() {
        return hubDescriptor.clone();
    }

    /** The answer to the {@code n}th class or vendor read (0-based), or null when there are none. */
    public byte[] classAnswer(int n) {
        return classAnswers.isEmpty() ? null : classAnswers.get(Math.min(n, classAnswers.size() - 1)).clone();
    }

    public int classAnswerCount() {
        return classAnswers.size();
    }

    List<byte[]> classAnswers() {
        List<byte[]> out = new ArrayList<>(classAnswers.size());
        classAnswers.forEach(a -> out.add(a.clone()));
        return out;
    }

    public boolean wellFormed() {
        return wellFormed;
    }

    /** The fault for request {@code request} of the connection, or null when it is answered as it should be. */
    public Fault fault(int request) {
        for (Fault fault : faults) {
            if (fault.request() == request) {
                return fault;
            }
        }
        return null;
    }

    public List<Fault> faults() {
        return List.of(faults);
    }

    /** The same answers with other faults. */
    UsbDevice withFaults(List<Fault> newFaults, String step) {
        return new UsbDevice(device, configuration, strings, hidReport, bos, hubDescriptor, classAnswers, wellFormed,
                origin + " > " + step, newFaults, List.of(refusals), dwell);
    }

    /** Whether the device always stalls {@code setup} ({@link Refusal}). */
    public boolean refuses(SetupPacket setup) {
        for (Refusal refusal : refusals) {
            if (refusal.refuses(setup)) {
                return true;
            }
        }
        return false;
    }

    public List<Refusal> refusals() {
        return List.of(refusals);
    }

    /** The same answers with other refusals. */
    UsbDevice withRefusals(List<Refusal> newRefusals, String step) {
        return new UsbDevice(device, configuration, strings, hidReport, bos, hubDescriptor, classAnswers, wellFormed,
                origin + " > " + step, List.of(faults), newRefusals, dwell);
    }

    /** What it does once configured and idle ({@link Dwell}). */
    public Dwell dwell() {
        return dwell;
    }

    /** The same answers, dwelling as {@code newDwell} says. */
    UsbDevice withDwell(Dwell newDwell, String step) {
        return new UsbDevice(device, configuration, strings, hidReport, bos, hubDescriptor, classAnswers, wellFormed,
                origin + " > " + step, List.of(faults), List.of(refusals), newDwell);
    }

    /** How it was made: "hid-keyboard", "mass-storage > class > havoc". */
    public String origin() {
        return origin;
    }

    /** The same answers with other parts; null keeps a part. */
    UsbDevice with(byte[] newDevice, byte[] newConfiguration, List<byte[]> newStrings, byte[] newReport, byte[] newBos,
                   byte[] newHub, List<byte[]> newClass, boolean stillWellFormed, String step) {
        return new UsbDevice(newDevice != null ? newDevice : device,
                newConfiguration != null ? newConfiguration : configuration,
                newStrings != null ? newStrings : strings, newReport != null ? newReport : hidReport,
                newBos != null ? newBos : bos, newHub != null ? newHub : hubDescriptor,
                newClass != null ? newClass : classAnswers, wellFormed && stillWellFormed, origin + " > " + step,
                List.of(faults), List.of(refusals), dwell);
    }

    List<byte[]> strings() {
        List<byte[]> out = new ArrayList<>(strings.size());
        strings.forEach(s -> out.add(s.clone()));
        return out;
    }

    /** One line of hex per part, for a corpus file a person can read back. */
    public String describe() {
        HexFormat hex = HexFormat.of();
        StringBuilder text = new StringBuilder("origin ").append(origin).append(wellFormed ? " (well-formed)" : "")
                .append("\ndevice ").append(hex.formatHex(device)).append("\nconfiguration ")
                .append(hex.formatHex(configuration));
        for (int i = 0; i < strings.size(); i++) {
            text.append("\nstring ").append(i + 1).append(' ').append(hex.formatHex(strings.get(i)));
        }
        text.append("\nreport ").append(hex.formatHex(hidReport)).append("\nbos ").append(hex.formatHex(bos))
                .append("\nhub ").append(hex.formatHex(hubDescriptor));
        for (byte[] answer : classAnswers) {
            text.append("\nclass ").append(hex.formatHex(answer));
        }
        for (Fault fault : faults) {
            text.append("\nfault request ").append(fault.request()).append(fault.stall() ? " stall" : " half");
        }
        for (Refusal refusal : refusals) {
            text.append("\nrefuse request ").append(refusal.request()).append(" descriptor ").append(refusal.descriptor());
        }
        if (dwell != Dwell.NONE) {
            text.append("\ndwell ").append(dwell.name().toLowerCase(Locale.ROOT));
        }
        return text.append('\n').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UsbDevice other) || other.strings.size() != strings.size()) {
            return false;
        }
        for (int i = 0; i < strings.size(); i++) {
            if (!Arrays.equals(strings.get(i), other.strings.get(i))) {
                return false;
            }
        }
        return Arrays.equals(device, other.device) && Arrays.equals(configuration, other.configuration)
                && Arrays.equals(hidReport, other.hidReport) && Arrays.equals(bos, other.bos)
                && Arrays.equals(hubDescriptor, other.hubDescriptor) && sameAnswers(other)
                && Arrays.equals(faults, other.faults) && Arrays.equals(refusals, other.refusals) && dwell == other.dwell;
    }

    private boolean sameAnswers(UsbDevice other) {
        if (other.classAnswers.size() != classAnswers.size()) {
            return false;
        }
        for (int i = 0; i < classAnswers.size(); i++) {
            if (!Arrays.equals(classAnswers.get(i), other.classAnswers.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(device) * 31 + Arrays.hashCode(configuration);
    }

    @Override
    public String toString() {
        return origin;
    }
}
