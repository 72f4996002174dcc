package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.source.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 of the source files a layout names, read from a source tree: what a session records to verify sources. */
public final class SourceHashes {
    private SourceHashes() {
    }

    /** Relative path → lower-case hex SHA-256, for every file of the layout under {@code root} that exists there. */
    public static Map<String, String> compute(CoverageLayout layout, Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        for (int file = 0; file < layout.fileCount(); file++) {
            String path = layout.filePath(file);
            if (path.startsWith("/") || path.startsWith("../")) {
                continue;
            }
            Path source = root.resolve(path);
            if (!Files.isRegularFile(source)) {
                continue;
            }
            hashes.put(path, Sha256.ofFile(source));
        }
        return hashes;
    }
}
