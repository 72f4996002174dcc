package dev.kcovexplorer.app.ui.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sources from a directory (a kernel tree, or the comp dir of a build on this machine). When the session
 * knows the SHA-256 of a file, a file whose content differs gets a banner.
 */
public final class DirectorySources implements EditorSources {
    private final Path root;
    private final Map<String, String> sha256ByPath;
    private final Map<String, String> banners = new ConcurrentHashMap<>();

    public DirectorySources(Path root, Map<String, String> sha256ByPath) {
        this.root = root;
        this.sha256ByPath = Map.copyOf(sha256ByPath);
    }

    @Override
    public Optional<String> text(String path) throws IOException {
        Path file = root.resolve(path).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            banners.put(path, path + " is not under " + root + ".");
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(file);
        String expected = sha256ByPath.get(path);
        if (expected != null && !expected.equals(sha256(bytes))) {
            banners.put(path, "This file differs from the one the kernel was built from (SHA-256 mismatch): "
                    + "its lines may not match the coverage.");
        } else {
            banners.remove(path);
        }
        // Kernel sources are UTF-8 with a few Latin-1 leftovers: decoding replaces those instead of failing.
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public String banner(String path) {
        return banners.get(path);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
