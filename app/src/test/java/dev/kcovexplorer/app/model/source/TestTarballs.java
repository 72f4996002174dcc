package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real source tarballs made at test time by the machine's tar, xz and gzip, and hashes computed independently. */
final class TestTarballs {
    private TestTarballs() {
    }

    /**
     * {@code dir/NAME} holding {@code top/} and the files in byte order of their paths, as in Debian's source
     * packages; {@code .tar.xz} is compressed in xz blocks of {@code xzBlock} bytes (several blocks: seekable).
     */
    static Path tarball(Path dir, String name, String top, Map<String, String> files, int xzBlock) throws Exception {
        Requirements.tools("tar", "xz", "gzip");
        Path work = Files.createTempDirectory(dir, "tree");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = work.resolve(top).resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        Path tar = dir.resolve(name.substring(0, name.indexOf(".tar") + 4));
        run(work, "bash", "-c", "find " + top + " -print0 | LC_ALL=C sort -z | tar --null --no-recursion -T - "
                + "--format=gnu --owner=0 --group=0 -cf '" + tar + "'");
        if (name.endsWith(".xz")) {
            run(dir, "xz", "-T1", "--block-size=" + xzBlock, tar.toString());
        } else if (name.endsWith(".gz") || name.endsWith(".tgz")) {
            run(dir, "gzip", tar.toString());
            Files.move(dir.resolve(tar.getFileName() + ".gz"), dir.resolve(name));
        }
        return dir.resolve(name);
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every regular file under {@code root}, relative, excluding the pipeline's own bookkeeping. */
    static List<String> files(Path root) throws IOException {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (var walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith(".kcov-explorer")).forEach(found::add);
        }
        return found;
    }

    static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }
}
