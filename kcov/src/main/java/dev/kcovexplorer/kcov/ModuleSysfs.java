package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the running kernel's module layout from sysfs: every loaded module has
 * {@code /sys/module/NAME/sections/SECTION} (its load address in hex, readable by root only) and
 * {@code /sys/module/NAME/notes/.note.gnu.build-id} (the raw ELF note). Built-in modules have a
 * directory there too, without {@code sections}, and are skipped. The root is a parameter so tests read a
 * directory tree of the same shape.
 */
public final class ModuleSysfs {
    public static final Path DEFAULT_ROOT = Path.of("/sys/module");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{1,16}");

    private ModuleSysfs() {
    }

    /**
     * The layout of every loaded module below {@code root}, {@link ModuleLayout#NONE} when none is
     * loaded. A module unloaded while it is read is left out; anything else unreadable is an error
     * naming the file.
     */
    public static ModuleLayout read(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root + " (no sysfs module directory: is sysfs mounted?)");
        }
        List<Path> modules;
        try (Stream<Path> entries = Files.list(root)) {
            modules = entries.filter(m -> Files.isDirectory(m.resolve("sections"))).sorted().toList();
        }
        Map<String, Map<String, Long>> sections = new LinkedHashMap<>();
        Map<String, String> buildIds = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Path module : modules) {
            String name = ModuleLayout.canonicalName(module.getFileName().toString());
            try {
                Map<String, Long> placed = sectionsOf(module, warnings);
                if (isLive(module)) {
                    // Once init has run, the kernel frees the init region (.init.* and the full .symtab/.strtab
                    // copy) and reuses it for the next module's code, yet sysfs keeps listing the old addresses:
                    // kept, they would claim PCs of the module loaded there since.
                    placed.keySet().removeIf(ModuleLayout::isInitRegion);
                }
                if (!placed.isEmpty()) {
                    sections.put(name, placed);
                    buildIdOf(module).ifPresent(id -> buildIds.put(name, id));
                }
            } catch (NoSuchFileException unloaded) {
                // the module went away while we read it: it holds no coverage of this boot any more
            }
        }
        return sections.isEmpty() ? ModuleLayout.NONE : new ModuleLayout(sections, buildIds, warnings, 0);
    }

    /** Whether the module finished its init ({@code /sys/module/NAME/initstate} is {@code live}). */
    private static boolean isLive(Path module) throws IOException {
        Path state = module.resolve("initstate");
        return Files.exists(state) && readText(state).trim().equals("live");
    }

    private static Map<String, Long> sectionsOf(Path module, List<String> warnings) throws IOException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(module.resolve("sections"))) {
            files = entries.sorted().toList();
        }
        Map<String, Long> placed = new LinkedHashMap<>();
        for (Path file : files) {
            String section = file.getFileName().toString();
            if (!ModuleLayoutWriter.writable(section)) {
                warnings.add(file + ": left out, a section name with blanks or # cannot be written in a layout line");
                continue;
            }
            String text = readText(file).trim();
            if (!ADDRESS.matcher(text).matches()) {
                throw new IOException(file + ": expected a hex address such as 0xffffffffc0a10000, got \""
                        + Printable.of(text) + "\"");
            }
            long address = Long.parseUnsignedLong(text.substring(2), 16);
            if (address == 0) {
                throw new IOException(file + " says 0x0: the kernel hides module addresses (kptr_restrict);"
                        + " read the layout as root with kptr_restrict at 0 or 1");
            }
            placed.put(section, address);
        }
        return placed;
    }

    private static java.util.Optional<String> buildIdOf(Path module) throws IOException {
        Path note = module.resolve("notes").resolve(".note.gnu.build-id");
        if (!Files.exists(note)) {
            return java.util.Optional.empty();
        }
        try {
            return GnuBuildIdNote.gnuBuildId(Files.readAllBytes(note));
        } catch (AccessDeniedException e) {
            throw new IOException(note + ": permission denied", e);
        }
    }

    private static String readText(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": permission denied (module section addresses are readable by root only;"
                    + " run the agent as root)", e);
        }
    }
}
