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
 * reshaped), blank lines and {@code #} comments skipped. A plain copy of {@code /proc/modules}
 * ({@code usbcore 303104 4 usb_storage, Live 0xffffffffc0a3e000}) is accepted too, with a warning: it
 * only says where each module's core starts, which is where {@code .text} is placed.
 */
public final class ModuleLayoutReader {
    private static final String EXPECTED = "expected MODULE SECTION ADDRESS (e.g. usbcore .text 0xffffffffa0012000)"
            + " or a /proc/modules line";
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern HEX = Pattern.compile("(0[xX])?[0-9a-fA-F]{1,16}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+");
    private static final Set<String> MODULE_STATES = Set.of("Live", "Loading", "Unloading");

    private final Path file;
    private final Map<String, Map<String, Long>> sections = new LinkedHashMap<>();
    private final Map<String, Long> firstLine = new HashMap<>();
    private long line;
    private long procModulesLines;
    private long sectionLines;

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
        List<String> warnings = new ArrayList<>();
        if (procModulesLines > 0) {
            warnings.add(file + " is a copy of /proc/modules: it only says where each module's .text starts, so"
                    + " coverage in .init.text, .exit.text, .text.unlikely and the other sections cannot be placed;"
                    + " record /sys/module/*/sections/* (as root) for a full layout");
        }
        return new ModuleLayout(sections, warnings);
    }

    private void parseLine(String[] fields, String text) throws IOException {
        boolean procModules = fields.length >= 6 && DECIMAL.matcher(fields[1]).matches()
                && MODULE_STATES.contains(fields[4]);
        if (procModules) {
            procModulesLines++;
            place(fields[0], ".text", fields[5]);
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

    private void place(String module, String section, String addressText) throws IOException {
        if (!MODULE_NAME.matcher(module).matches()) {
            throw DumpFormatException.atLine(file, line, "\"" + module + "\" is no module name (letters, digits, _ and -)");
        }
        if (!HEX.matcher(addressText).matches()) {
            throw DumpFormatException.atLine(file, line, "\"" + addressText + "\" is no address (expected hex such as"
                    + " 0xffffffffa0012000)");
        }
        String hex = addressText.startsWith("0x") || addressText.startsWith("0X") ? addressText.substring(2) : addressText;
        long address = Long.parseUnsignedLong(hex, 16);
        String name = ModuleLayout.canonicalName(module);
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
