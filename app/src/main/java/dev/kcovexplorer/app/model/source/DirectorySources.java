package dev.kcovexplorer.app.model.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sources from a directory: a kernel tree, a kernel git checkout, or the comp dir of a build on this machine.
 * When the session knows the SHA-256 of a file, a file whose content differs gets a banner; when the tree's
 * top {@code Makefile} names another kernel version than the one the session was built from, that banner says so.
 */
public final class DirectorySources implements KernelSources {
    private static final Pattern MAKEFILE_VERSION = Pattern.compile("(?m)^(VERSION|PATCHLEVEL|SUBLEVEL)\\s*=\\s*(\\d+)\\s*$");

    private final Path root;
    private final Map<String, String> sha256ByPath;
    private final String expectedVersion;
    private final Map<String, String> banners = new ConcurrentHashMap<>();

    public DirectorySources(Path root, Map<String, String> sha256ByPath) {
        this(root, sha256ByPath, null);
    }

    /** {@code expectedVersion}: the upstream kernel version the session was built from ("6.1.192"), or null. */
    public DirectorySources(Path root, Map<String, String> sha256ByPath, String expectedVersion) {
        this.root = root;
        this.sha256ByPath = Map.copyOf(sha256ByPath);
        this.expectedVersion = expectedVersion;
    }

    /** The kernel version the tree's top Makefile names ("6.1.192"), when it has one. */
    public static Optional<String> treeVersion(Path root) {
        Path makefile = root.resolve("Makefile");
        if (!Files.isRegularFile(makefile)) {
            return Optional.empty();
        }
        try {
            String head = Files.readString(makefile, StandardCharsets.ISO_8859_1);
            Matcher m = MAKEFILE_VERSION.matcher(head.substring(0, Math.min(head.length(), 4096)));
            Map<String, String> parts = new java.util.HashMap<>();
            while (m.find()) {
                parts.putIfAbsent(m.group(1), m.group(2));
            }
            return parts.size() == 3 ? Optional.of(parts.get("VERSION") + "." + parts.get("PATCHLEVEL") + "."
                    + parts.get("SUBLEVEL")) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> text(String path, BooleanSupplier cancelled) throws IOException {
        Optional<Path> inside = SourceRoot.file(root, path);
        if (inside.isEmpty()) {
            banners.put(path, path + " is not under " + root + ".");
            return Optional.empty();
        }
        Path file = inside.get();
        byte[] bytes = Files.readAllBytes(file);
        String expected = sha256ByPath.get(path);
        if (expected != null && !expected.equals(Sha256.of(bytes))) {
            banners.put(path, versionNote() + "This file differs from the one the kernel was built from (SHA-256 "
                    + "mismatch): its lines may not match the coverage.");
        } else {
            banners.remove(path);
        }
        // Kernel sources are UTF-8 with a few Latin-1 leftovers: decoding replaces those instead of failing.
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    private String versionNote() {
        if (expectedVersion == null) {
            return "";
        }
        Optional<String> tree = treeVersion(root);
        return tree.isPresent() && !tree.get().equals(expectedVersion)
                ? root + " is Linux " + tree.get() + ", but this kernel was built from " + expectedVersion + ". " : "";
    }

    @Override
    public String banner(String path) {
        return banners.get(path);
    }
}
