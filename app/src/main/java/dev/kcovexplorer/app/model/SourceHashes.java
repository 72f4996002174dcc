package dev.kcovexplorer.app.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 of the source files a layout names, read from a source tree: what a session records to verify sources. */
public final class SourceHashes {
    private SourceHashes() {
    }

    /** Relative path → lower-case hex SHA-256, for every file of the layout under {@code root} that exists there. */
    public static Map<String, String> compute(CoverageLayout layout, Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        byte[] buffer = new byte[1 << 16];
        for (int file = 0; file < layout.fileCount(); file++) {
            String path = layout.filePath(file);
            if (path.startsWith("/") || path.startsWith("../")) {
                continue;
            }
            Path source = root.resolve(path);
            if (!Files.isRegularFile(source)) {
                continue;
            }
            MessageDigest sha = sha256();
            try (InputStream in = Files.newInputStream(source)) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    sha.update(buffer, 0, n);
                }
            }
            hashes.put(path, HexFormat.of().formatHex(sha.digest()));
        }
        return hashes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
