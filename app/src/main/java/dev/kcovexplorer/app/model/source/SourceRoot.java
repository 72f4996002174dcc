package dev.kcovexplorer.app.model.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a source path may be read: inside the source root, and nowhere else. Paths come from the
 * session (DWARF names rewritten by its {@code paths.prefixMap}), so a session could otherwise name
 * {@code /home/you/.ssh/id_ed25519} or {@code ../../etc/passwd} and have a report embed it. Absolute
 * paths, {@code ..} that climbs out, and symbolic links that lead out are all refused.
 */
public final class SourceRoot {
    private SourceRoot() {
    }

    /** The regular file {@code path} names under {@code root}, or empty when there is none inside it. */
    public static Optional<Path> file(Path root, String path) {
        if (path == null || path.isEmpty() || path.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        try {
            Path base = root.toAbsolutePath().normalize();
            Path named = Path.of(path);
            Path file = (named.isAbsolute() ? named : base.resolve(named)).normalize();
            if (!file.startsWith(base) || file.equals(base) || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            Path real = file.toRealPath();
            return real.startsWith(base.toRealPath()) ? Optional.of(real) : Optional.empty();
        } catch (InvalidPathException | IOException e) {
            return Optional.empty();
        }
    }
}
