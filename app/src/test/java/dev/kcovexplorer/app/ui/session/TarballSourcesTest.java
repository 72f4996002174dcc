package dev.kcovexplorer.app.ui.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.app.ui.task.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source tarballs made by the machine's tar (gzip, xz, plain) read in place, as `--source-root` takes them. */
class TarballSourcesTest {
    private static final String HUB = "drivers/usb/core/hub.c";
    private static final String LONG = "drivers/" + "very_long_directory_name_".repeat(6) + "/file.c";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"linux-source-6.1.tar.gz", "linux-source-6.1.tar.xz", "linux-source-6.1.tar"})
    void wantedFilesAreReadFromTheTarballAndNothingElseIsUnpacked(String name) throws Exception {
        Path tarball = makeTarball(name);
        Path cache = dir.resolve("cache");
        TarballSources sources = new TarballSources(tarball, List.of(HUB, LONG, "missing.c"), cache, Map.of());
        assertThat(sources.text(HUB)).isEmpty();
        assertThat(sources.banner(HUB)).contains("not been read");

        sources.prepare(Progress.NONE);

        assertThat(sources.text(HUB)).contains("static void hub_event(struct work_struct *work)\n{\n}\n");
        assertThat(sources.text(LONG)).as("a GNU long name").contains("int long_name;\n");
        assertThat(sources.text("missing.c")).isEmpty();
        assertThat(sources.banner("missing.c")).isEqualTo("missing.c is not in " + name + ".");
        try (Stream<Path> files = Files.walk(cache).filter(Files::isRegularFile)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("hub.c", "file.c", ".complete");
        }
    }

    @Test
    void aFileThatDiffersFromTheBuildGetsABanner() throws Exception {
        Path tarball = makeTarball("src.tar.gz");
        TarballSources sources = new TarballSources(tarball, List.of(HUB), dir.resolve("cache"),
                Map.of(HUB, sha256("something else")));
        sources.prepare(Progress.NONE);
        assertThat(sources.text(HUB)).isPresent();
        assertThat(sources.banner(HUB)).contains("SHA-256 mismatch");
    }

    @Test
    void aBrokenTarballSaysSoAndLeavesNoHalfTree() throws Exception {
        Path bad = Files.writeString(dir.resolve("broken.tar.gz"), "not gzip at all");
        TarballSources sources = new TarballSources(bad, List.of(HUB), dir.resolve("cache"), Map.of());
        assertThatThrownBy(() -> sources.prepare(Progress.NONE)).isInstanceOf(IOException.class);
        assertThat(sources.banner(HUB)).startsWith("Cannot read sources from " + bad);
        try (Stream<Path> left = Files.walk(dir.resolve("cache")).filter(Files::isRegularFile)) {
            assertThat(left).isEmpty();
        }
    }

    private Path makeTarball(String name) throws Exception {
        Path tree = dir.resolve("tree").resolve("linux-source-6.1");
        write(tree.resolve(HUB), "static void hub_event(struct work_struct *work)\n{\n}\n");
        write(tree.resolve(LONG), "int long_name;\n");
        write(tree.resolve("drivers/other.c"), "int unrelated;\n");
        String flag = name.endsWith(".gz") ? "-z" : name.endsWith(".xz") ? "-J" : "";
        assumeTrue(!flag.equals("-J") || onPath("xz"), "reading .tar.xz needs xz on the PATH");
        Path tarball = dir.resolve(name);
        List<String> command = flag.isEmpty()
                ? List.of("tar", "--format=gnu", "-cf", tarball.toString(), "-C", tree.getParent().toString(), "linux-source-6.1")
                : List.of("tar", "--format=gnu", flag, "-cf", tarball.toString(), "-C", tree.getParent().toString(), "linux-source-6.1");
        Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return tarball;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
