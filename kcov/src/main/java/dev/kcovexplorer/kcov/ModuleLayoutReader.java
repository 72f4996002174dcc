package dev.kcovexplorer.kcov;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a module layout: one section per line, {@code MODULE SECTION ADDRESS}
 * ({@code usbcore .text 0xffffffffa0012000}, which is {@code /sys/module/usbcore/sections/.text}
 * reshaped), optionally one {@code MODULE build-id HEX} line per module (the id in
 * {@code /sys/module/usbcore/notes/.note.gnu.build-id}; layouts written before it existed simply have
 * none), optionally one {@code kaslr-offset HEX} line (what kcov subtracted from every PC of the boot,
 * {@code kaslr_offset()}; none means 0), blank lines and {@code #} comments skipped. A plain copy of {@code /proc/modules}
 * ({@code usbcore 303104 4 usb_storage, Live 0xffffffffc0a3e000}) is accepted too, with a warning: it
 * only says where each module's core starts, which is where {@code .text} is placed.
 */
public final class ModuleLayoutReader {
    private static final String EXPECTED = "expected MODULE SECTION ADDRESS (e.g. usbcore .text 0xffffffffa0012000),"
            + " MODULE build-id HEX, kaslr-offset HEX or a /proc/modules line";
    /** The second field of a build-id line; no ELF section of a module is called so (they start with . or _). */
    public static final String BUILD_ID = "build-id";
    /** The first field of the line giving the boot's KASLR offset, the only line of two fields. */
    public static final String KASLR_OFFSET = "kaslr-offset";
    /** 2 to 64 bytes: sha1 (20), md5 and uuid (16), xxhash (8) ids all fit. */
    private static final Pattern BUILD_ID_HEX = Pattern.compile("([0-9a-fA-F]{2}){1,64}");
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern HEX = Pattern.compile("(0[xX])?[0-9a-fA-F]{1,16}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+");
    private static final Set<String> MODULE_STATES = Set.of("Live", "Loading", "Unloading");

    private final Path file;
    private final Map<String, Map<String, Long>> sections = new LinkedHashMap<>();
    private final Map<String, String> buildIds = new LinkedHashMap<>();
    private final Map<String, Long> buildIdLine = new HashMap<>();
    private final Map<String, Long> firstLine = new HashMap<>();
    private long line;
    private long procModulesLines;
    private long sectionLines;
    private Long kaslrOffset;
    private long kaslrOffsetLine;

    private ModuleLayoutReader(Path file) {
        this.file = file;
    }

    public static ModuleLayout read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file);
        }
    }

    /** Reads {@code in}; {@code file} names it in errors and warnings. */
    public static ModuleLayout read(BufferedReader in, Path file) throws IOException {
        return new ModuleLayoutReader(file).parse(in);
    }

    private ModuleLayout parse(BufferedReader in) throws IOException {
        String text;
        while ((text = in.readLine()) != null) {
            line++;
            int hash = text.indexOf('#');
            String content = (hash >= 0 ? text.substring(0, hash) : text).trim();
            if (!content.isEmpty()) {
                parseLine(content.split("\\s+"), text.trim());
            }
        }
        if (sections.isEmpty()) {
            throw new DumpFormatException(file, "no module in the layout (" + EXPECTED + ")");
        }
        for (Map.Entry<String, Long> e : buildIdLine.entrySet()) {
            if (!sections.containsKey(e.getKey())) {
                throw DumpFormatException.atLine(file, e.getValue(), "module " + e.getKey() + " has a build id but no"
                        + " section in the layout");
            }
        }
        List<String> warnings = new ArrayList<>();
        if (procModulesLines > 0) {
            warnings.add(file + " is a copy of /proc/modules: it only says where each module's .text starts, so"
                    + " coverage in .init.text, .exit.text, .text.unlikely and the other sections cannot be placed;"
                    + " record /sys/module/*/sections/* (as root) for a full layout");
        }
        return new ModuleLayout(sections, buildIds, warnings, kaslrOffset == null ? 0 : kaslrOffset);
    }

    private void parseLine(String[] fields, String text) throws IOException {
        boolean procModules = fields.length >= 6 && DECIMAL.matcher(fields[1]).matches()
                && MODULE_STATES.contains(fields[4]);
        if (procModules) {
            procModulesLines++;
            place(fields[0], ".text", fields[5]);
        } else if (fields.length == 2 && fields[0].equals(KASLR_OFFSET)) {
            kaslrOffset(fields[1]);
        } else if (fields.length == 3 && fields[1].equals(BUILD_ID)) {
            buildId(fields[0], fields[2]);
        } else if (fields.length == 3) {
            sectionLines++;
            place(fields[0], fields[1], fields[2]);
        } else {
            throw DumpFormatException.atLine(file, line, EXPECTED + ", got \"" + text + "\"");
        }
        if (procModulesLines > 0 && sectionLines > 0) {
            throw DumpFormatException.atLine(file, line, "mixes /proc/modules lines with MODULE SECTION ADDRESS lines;"
                    + " a layout is one or the other");
        }
    }

    private void kaslrOffset(String text) throws IOException {
        if (!HEX.matcher(text).matches()) {
            throw DumpFormatException.atLine(file, line, "\"" + text + "\" is no KASLR offset (expected hex such as"
                    + " 0x1c000000)");
        }
        long offset = hexValue(text);
        if (kaslrOffset != null && kaslrOffset != offset) {
            throw DumpFormatException.atLine(file, line, "a second KASLR offset, 0x" + Long.toHexString(offset) + " (line "
                    + kaslrOffsetLine + " says 0x" + Long.toHexString(kaslrOffset) + "): a layout holds one boot");
        }
        kaslrOffset = offset;
        kaslrOffsetLine = line;
    }

    /** The value of a field {@link #HEX} matched, with or without its 0x. */
    private static long hexValue(String matched) {
        return Long.parseUnsignedLong(matched.startsWith("0x") || matched.startsWith("0X") ? matched.substring(2) : matched, 16);
    }

    private void buildId(String module, String hex) throws IOException {
        String name = checkedName(module);
        if (!BUILD_ID_HEX.matcher(hex).matches()) {
            throw DumpFormatException.atLine(file, line, "\"" + hex + "\" is no build id (expected an even number of"
                    + " hex digits, as readelf -n prints it)");
        }
        String id = hex.toLowerCase(java.util.Locale.ROOT);
        String earlier = buildIds.putIfAbsent(name, id);
        if (earlier != null && !earlier.equals(id)) {
            throw DumpFormatException.atLine(file, line, name + " has a second build id, " + id + " (line "
                    + buildIdLine.get(name) + " says " + earlier + "): a layout holds one boot");
        }
        buildIdLine.putIfAbsent(name, line);
    }

    private String checkedName(String module) throws IOException {
        if (!MODULE_NAME.matcher(module).matches()) {
            throw DumpFormatException.atLine(file, line, "\"" + module + "\" is no module name (letters, digits, _ and -)");
        }
        return ModuleLayout.canonicalName(module);
    }

    private void place(String module, String section, String addressText) throws IOException {
        String name = checkedName(module);
        if (!HEX.matcher(addressText).matches()) {
            throw DumpFormatException.atLine(file, line, "\"" + addressText + "\" is no address (expected hex such as"
                    + " 0xffffffffa0012000)");
        }
        long address = hexValue(addressText);
        if (address == 0) {
            throw DumpFormatException.atLine(file, line, name + " " + section + " is at address 0: the kernel hides"
                    + " module addresses from readers without root (kptr_restrict); read the layout as root");
        }
        Map<String, Long> ofModule = sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
        Long earlier = ofModule.get(section);
        if (earlier != null && earlier != address) {
            throw DumpFormatException.atLine(file, line, name + " " + section + " is placed again, at 0x"
                    + Long.toHexString(address) + " (line " + firstLine.get(name + " " + section) + " put it at 0x"
                    + Long.toHexString(earlier) + "): a layout holds one boot");
        }
        ofModule.put(section, address);
        firstLine.putIfAbsent(name + " " + section, line);
    }
}
