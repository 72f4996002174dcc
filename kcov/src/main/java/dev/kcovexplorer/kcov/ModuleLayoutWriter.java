package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a module layout in the text form {@link ModuleLayoutReader} reads: a comment saying what the
 * file is, the boot's {@code kaslr-offset HEX} (when not 0), then per module its {@code MODULE build-id HEX}
 * line (when known) and one {@code MODULE SECTION ADDRESS} line per section, at the address the kernel
 * reported. The agent writes one beside every dump it records.
 */
public final class ModuleLayoutWriter {
    /** A section name the line format can carry: no whitespace, no comment sign. */
    private static final Pattern SECTION_NAME = Pattern.compile("[^\\s#]+");

    private ModuleLayoutWriter() {
    }

    /** The layout as text; {@code origin} says where it was read (a comment line). */
    public static String text(ModuleLayout layout, String origin) {
        StringBuilder out = new StringBuilder();
        out.append("# kcov-explorer module layout: MODULE SECTION ADDRESS per line, MODULE build-id HEX per module\n");
        out.append("# from ").append(origin.replace('\n', ' ')).append('\n');
        if (layout.kaslrOffset() != 0) {
            out.append("# kcov subtracted this KASLR offset from every PC: module PCs lie at ADDRESS minus it\n");
            out.append(ModuleLayoutReader.KASLR_OFFSET).append(" 0x").append(Long.toHexString(layout.kaslrOffset()))
                    .append('\n');
        }
        for (String module : layout.modules()) {
            layout.buildId(module).ifPresent(id -> out.append(module).append(' ')
                    .append(ModuleLayoutReader.BUILD_ID).append(' ').append(id).append('\n'));
            for (Map.Entry<String, Long> section : layout.reportedSectionsOf(module).entrySet()) {
                if (!SECTION_NAME.matcher(section.getKey()).matches()) {
                    throw new IllegalArgumentException("module " + module + ": section name '" + section.getKey()
                            + "' cannot be written in a layout line");
                }
                out.append(module).append(' ').append(section.getKey()).append(" 0x")
                        .append(String.format("%016x", section.getValue())).append('\n');
            }
        }
        return out.toString();
    }

    /** Writes {@link #text} to {@code file} atomically. */
    public static void write(ModuleLayout layout, String origin, Path file) throws IOException {
        byte[] bytes = text(layout, origin).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Where the agent puts the layout of a dump it records: {@code OUT.layout}, beside it. */
    public static Path besideDump(Path dump) {
        return dump.resolveSibling(dump.getFileName() + ".layout");
    }

    /** Whether a section name can be written in the line format. */
    static boolean writable(String section) {
        return SECTION_NAME.matcher(section).matches();
    }
}
