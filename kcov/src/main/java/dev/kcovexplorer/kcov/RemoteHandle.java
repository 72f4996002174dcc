package dev.kcovexplorer.kcov;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A remote kcov handle, {@code kcov_remote_handle(subsystem, instance)}: the subsystem id in the top
 * byte, the instance in the low four bytes, bytes 4-6 zero. USB handles name a bus
 * ({@code hub_event} runs under {@code kcov_remote_start_usb(busnum)}); common handles are chosen by
 * user space and inherited by kernel threads such as {@code vhost_worker}.
 */
public record RemoteHandle(int subsystem, long instance) {

    private static final Pattern USB = Pattern.compile("(?i)usb(?:\\s*bus\\s*|\\s*:\\s*|\\s+)(\\w+)");
    private static final Pattern COMMON = Pattern.compile("(?i)common(?:\\s*:\\s*|\\s+)(\\w+)");

    public RemoteHandle {
        if (subsystem != KcovAbi.SUBSYSTEM_ID_COMMON && subsystem != KcovAbi.SUBSYSTEM_ID_USB) {
            throw new IllegalArgumentException(String.format(
                    "unknown kcov subsystem 0x%02x (kcov knows common 0x00 and USB 0x01)", subsystem));
        }
        if ((instance & ~KcovAbi.KCOV_INSTANCE_MASK) != 0) {
            throw new IllegalArgumentException(String.format(
                    "kcov handle instance 0x%x does not fit in 4 bytes", instance));
        }
    }

    /** The handle of USB bus {@code bus}, as {@code hub_event} and URB completions use it. */
    public static RemoteHandle usb(int bus) {
        return new RemoteHandle(KcovAbi.SUBSYSTEM_ID_USB, Integer.toUnsignedLong(bus));
    }

    /** A common handle (for {@code kcov_remote_arg.common_handle}, inherited by vhost workers). */
    public static RemoteHandle common(long instance) {
        return new RemoteHandle(KcovAbi.SUBSYSTEM_ID_COMMON, instance);
    }

    public boolean isUsb() {
        return subsystem == KcovAbi.SUBSYSTEM_ID_USB;
    }

    /** The 64-bit value the kernel takes, {@code kcov_remote_handle(subsystem, instance)}. */
    public long encode() {
        return ((long) subsystem << 56) | instance;
    }

    /** Decodes a 64-bit handle, rejecting non-zero bytes 4-6 and subsystems kcov does not know. */
    public static RemoteHandle decode(long handle) {
        if ((handle & ~(KcovAbi.KCOV_SUBSYSTEM_MASK | KcovAbi.KCOV_INSTANCE_MASK)) != 0) {
            throw new IllegalArgumentException(String.format(
                    "invalid kcov handle 0x%016x: bytes 4-6 must be zero", handle));
        }
        return new RemoteHandle((int) (handle >>> 56), handle & KcovAbi.KCOV_INSTANCE_MASK);
    }

    /** "USB bus 1" or "common 0x42": how a person says it. */
    public String describe() {
        return isUsb() ? "USB bus " + instance : "common 0x" + Long.toHexString(instance);
    }

    /**
     * Parses what {@link #describe()} prints and the short forms a command line uses:
     * "USB bus 1", "usb:1", "common 0x42", "common:66", or a raw 64-bit handle such as
     * "0x0100000000000001".
     */
    public static RemoteHandle parse(String text) {
        String trimmed = text.trim();
        Matcher usb = USB.matcher(trimmed);
        if (usb.matches()) {
            return usb((int) parseNumber(usb.group(1), text, 0xffff_ffffL));
        }
        Matcher common = COMMON.matcher(trimmed);
        if (common.matches()) {
            return common(parseNumber(common.group(1), text, KcovAbi.KCOV_INSTANCE_MASK));
        }
        return decode(parseNumber(trimmed, text, -1L));
    }

    private static long parseNumber(String digits, String whole, long max) {
        try {
            String lower = digits.toLowerCase(Locale.ROOT);
            long value = lower.startsWith("0x") ? Long.parseUnsignedLong(lower.substring(2), 16)
                    : Long.parseUnsignedLong(lower);
            if (max != -1L && Long.compareUnsigned(value, max) > 0) {
                throw new IllegalArgumentException("'" + whole + "': " + digits + " does not fit in 4 bytes");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + whole
                    + "' is not a kcov handle (expected e.g. \"USB bus 1\", \"common 0x42\" or 0x0100000000000001)");
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
