package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One file read out of a multi-block .tar.xz by seeking, checked against the bytes that were packed. */
class TarSeekerTest {
    private static final String TOP = "linux-source-9.9";

    @TempDir
    Path dir;

    private final Map<String, String> packed = new TreeMap<>();

    @BeforeEach
    void files() {
        Random random = new Random(42);
        for (String d : List.of("Documentation/a", "arch/x86/kernel", "drivers/usb/core", "drivers/vhost", "include/linux",
                "kernel", "net/core", "perf", "perf-security")) {
            for (int i = 0; i < 6; i++) {
                StringBuilder text = new StringBuilder();
                for (int line = 0; line < 300 + random.nextInt(600); line++) {
                    text.append(Long.toHexString(random.nextLong())).append('\n');
                }
                packed.put(d + "/f" + i + ".c", text.toString());
            }
        }
        packed.put("drivers/" + "a_long_directory_name_".repeat(6) + "/long.c", "int long_name;\n");
        packed.put("perf-security.rst", "sorted between perf and perf/ by --sort=name\n");
    }

    @Test
    void everyFileIsFoundInASortedMultiBlockTarball() throws Exception {
        Path tarball = TestTarballs.tarball(dir, TOP + ".tar.xz", TOP, packed, 16 << 10);
        assertThat(SourceArchive.seekable(tarball)).as("several xz blocks").isPresent();
        TarSeeker seeker = new TarSeeker(tarball);
        for (Map.Entry<String, String> file : packed.entrySet()) {
            assertThat(seeker.read(file.getKey(), () -> false)).as(file.getKey())
                    .hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(file.getValue()));
        }
        assertThat(seeker.read("drivers/usb/core/missing.c", () -> false)).isEmpty();
        assertThat(seeker.read("zzz/after-everything.c", () -> false)).isEmpty();
        assertThat(seeker.read("0/before-everything.c", () -> false)).isEmpty();
    }

    @Test
    void aTarballInAnotherOrderNeverYieldsAnotherFilesBytes() throws Exception {
        Path work = Files.createTempDirectory(dir, "tree");
        List<String> reversed = new ArrayList<>();
        for (Map.Entry<String, String> file : packed.entrySet()) {
            Path path = work.resolve(TOP).resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
            reversed.add(0, TOP + "/" + file.getKey());
        }
        List<String> tar = new ArrayList<>(List.of("tar", "--format=gnu", "-cf", dir.resolve("r.tar").toString()));
        tar.addAll(reversed);
        TestTarballs.run(work, tar.toArray(String[]::new));
        TestTarballs.run(dir, "xz", "-T1", "--block-size=16384", "r.tar");
        TarSeeker seeker = new TarSeeker(dir.resolve("r.tar.xz"));
        int found = 0;
        for (Map.Entry<String, String> file : packed.entrySet()) {
            var bytes = seeker.read(file.getKey(), () -> false);
            if (bytes.isPresent()) {
                found++;
                assertThat(new String(bytes.get(), StandardCharsets.UTF_8)).as(file.getKey()).isEqualTo(file.getValue());
            }
        }
        System.out.printf("reverse-ordered tarball: %d of %d files found by seeking (the rest come from the pass)%n",
                found, packed.size());
    }
}
