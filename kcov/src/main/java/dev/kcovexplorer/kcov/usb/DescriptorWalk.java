package dev.kcovexplorer.kcov.usb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a configuration blob as the kernel does, descriptor by descriptor through bLength, for the mutator:
 * where each descriptor is, which fields shape the blob, the interface groups (an interface descriptor and
 * what follows it up to the next one), and a blob rebuilt from groups with numbers, addresses and lengths
 * made consistent again.
 */
final class DescriptorWalk {
    private DescriptorWalk() {
    }

    /** {offset, length} of every descriptor until the blob ends or a bLength stops making sense. */
    static List<int[]> of(byte[] blob) {
        List<int[]> out = new ArrayList<>();
        int offset = 0;
        while (offset + 2 <= blob.length) {
            int length = blob[offset] & 0xff;
            if (length < 2 || offset + length > blob.length) {
                break;
            }
            out.add(new int[] {offset, length});
            offset += length;
        }
        return out;
    }

    /**
     * Whether the field at {@code offset} of a descriptor of {@code type} shapes the blob: a length or count of
     * what follows, an interface number or alternate setting, an endpoint address (unique per direction), a
     * string index, or the HID descriptor's report length.
     */
    static boolean shapesBlob(int type, int offset) {
        return switch (type) {
            case Descriptors.CONFIGURATION -> offset <= 4 || offset == 6;
            case Descriptors.INTERFACE -> offset <= 4 || offset == 8;
            case Descriptors.ENDPOINT -> offset == 2;
            case Descriptors.HID -> offset >= 5;
            case Descriptors.INTERFACE_ASSOCIATION -> offset <= 3 || offset == 7;
            default -> false;
        };
    }

    /** The interface groups of a configuration blob, each from its interface descriptor to the next one. */
    static List<byte[]> interfaceGroups(byte[] config) {
        List<int[]> descriptors = of(config);
        List<byte[]> groups = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (int[] d : descriptors) {
            int type = config[d[0] + 1] & 0xff;
            if (type == Descriptors.INTERFACE) {
                if (start >= 0) {
                    groups.add(java.util.Arrays.copyOfRange(config, start, end));
                }
                start = d[0];
            }
            end = d[0] + d[1];
        }
        if (start >= 0) {
            groups.add(java.util.Arrays.copyOfRange(config, start, end));
        }
        return groups;
    }

    /**
     * The configuration header of {@code config} followed by {@code groups}, made consistent: interface
     * associations dropped (their counts would no longer hold), interfaces numbered 0… in order of first
     * appearance ({@code grafted}'s as an interface of its own, alternate setting 0, no string), endpoint
     * addresses unique per direction, HID descriptors naming a report of {@code reportLength} bytes, and
     * bNumInterfaces and wTotalLength counted. Null when the groups need more than 15 endpoints a direction.
     */
    static byte[] rebuild(byte[] config, List<byte[]> groups, int grafted, int reportLength) {
        if (config.length < Descriptors.CONFIGURATION_SIZE) {
            return null;
        }
        Descriptors.Writer body = new Descriptors.Writer();
        Map<String, Integer> numbers = new LinkedHashMap<>();
        int nextIn = 1;
        int nextOut = 1;
        for (int g = 0; g < groups.size(); g++) {
            byte[] group = groups.get(g).clone();
            String key = g == grafted ? "graft" : Integer.toString(group[2] & 0xff);
            Integer number = numbers.computeIfAbsent(key, k -> numbers.size());
            group[2] = (byte) (int) number;
            if (g == grafted) {
                group[3] = 0;
                group[8] = 0;
            }
            for (int[] d : of(group)) {
                int type = group[d[0] + 1] & 0xff;
                if (type == Descriptors.INTERFACE_ASSOCIATION) {
                    continue;
                }
                if (type == Descriptors.ENDPOINT && d[1] >= 3) {
                    boolean in = (group[d[0] + 2] & 0x80) != 0;
                    int endpoint = in ? nextIn++ : nextOut++;
                    if (endpoint > 15) {
                        return null;
                    }
                    group[d[0] + 2] = (byte) ((in ? 0x80 : 0) | endpoint);
                }
                if (type == Descriptors.HID && d[1] >= Descriptors.HID_SIZE) {
                    group[d[0] + 7] = (byte) reportLength;
                    group[d[0] + 8] = (byte) (reportLength >>> 8);
                }
                body.bytes(java.util.Arrays.copyOfRange(group, d[0], d[0] + d[1]));
            }
        }
        byte[] rest = body.toArray();
        if (Descriptors.CONFIGURATION_SIZE + rest.length > UsbDevice.MAX_BLOB) {
            return null;
        }
        return Descriptors.configuration(numbers.size(), config[5] & 0xff, config[6] & 0xff, config[7] & 0xff,
                config[8] & 0xff, rest);
    }

    /** wTotalLength set to the blob's length, or left saying what it said before (then it lies). */
    static void setTotalLength(byte[] config, boolean truthfully) {
        if (truthfully && config.length >= 4) {
            config[2] = (byte) config.length;
            config[3] = (byte) (config.length >>> 8);
        }
    }
}
