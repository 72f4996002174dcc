package dev.kcovexplorer.app.model.modules;

import dev.kcovexplorer.kcov.ModuleLayout;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The module files below a {@code --modules} directory: a kernel build tree, an installed
 * {@code /lib/modules/RELEASE} or a debug package's {@code /usr/lib/debug/lib/modules/RELEASE}. A module
 * is found by its name ({@code NAME.ko}, {@code -} and {@code _} alike, also {@code .ko.xz},
 * {@code .ko.zst} and {@code .ko.gz}) anywhere below. Symbolic links to directories are not followed:
 * {@code /lib/modules/RELEASE/build} points into the whole kernel source tree.
 */
public final class ModuleFinder {
    private static final List<String> SUFFIXES = List.of(".ko", ".ko.xz", ".ko.zst", ".ko.gz");

    private final Path root;
    private final Map<String, List<Path>> byName;
    private final List<Path> unreadable;

    private ModuleFinder(Path root, Map<String, List<Path>> byName, List<Path> unreadable) {
        this.root = root;
        this.byName = byName;
        this.unreadable = unreadable;
    }

    /** Lists the module files below {@code root} once; lookups are then free. */
    public static ModuleFinder scan(Path root) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString());
        }
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a directory (--modules takes the directory that holds the .ko files)");
        }
        Map<String, List<Path>> byName = new HashMap<>();
        List<Path> unreadable = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String name = moduleName(file.getFileName().toString());
                if (name != null && Files.isRegularFile(file)) {
                    byName.computeIfAbsent(name, k -> new ArrayList<>(1)).add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                unreadable.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        return new ModuleFinder(root, byName, unreadable);
    }

    /** The module a file name stands for ({@code snd-hda-intel.ko.xz} → {@code snd_hda_intel}), or null. */
    static String moduleName(String fileName) {
        for (String suffix : SUFFIXES) {
            if (fileName.endsWith(suffix) && fileName.length() > suffix.length()) {
                return ModuleLayout.canonicalName(fileName.substring(0, fileName.length() - suffix.length()));
            }
        }
        return null;
    }

    public Path root() {
        return root;
    }

    /**
     * The file of {@code module}, empty when there is none. Several files of one name are refused rather
     * than guessed between: which one the kernel loaded is not knowable from here.
     */
    public Optional<Path> find(String module) throws IOException {
        List<Path> candidates = byName.getOrDefault(ModuleLayout.canonicalName(module), List.of());
        if (candidates.size() > 1) {
            throw new IOException("module " + ModuleLayout.canonicalName(module) + ": " + candidates.size()
                    + " files below " + root + " match (" + candidates.stream().map(p -> root.relativize(p).toString())
                    .sorted().collect(Collectors.joining(", ")) + "); pass a --modules directory that holds one");
        }
        return candidates.stream().findFirst();
    }

    /** Why {@code module} was not found, for the error a user reads. */
    public String describeMissing(String module) {
        String name = ModuleLayout.canonicalName(module);
        String message = "module " + name + ": no " + name + ".ko (or .ko.xz, .ko.zst, .ko.gz; - and _ alike) below "
                + root;
        if (!unreadable.isEmpty()) {
            message += " (" + unreadable.size() + " entries could not be read, e.g. " + unreadable.get(0) + ")";
        }
        return message;
    }
}
