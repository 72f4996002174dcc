package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The source cache under kills: a real multi-block .tar.xz made here, unpacked by a separate JVM that is killed
 * (SIGKILL) at several points of its pass. The cache must never claim to be complete, must not call a missing
 * file "not in the package", and the next run must finish it with every file equal to what was packed.
 */
class InterruptedUnpackTest {
    private static final String TOP = "linux-source-9.9";
    private static final int FILES = 12;

    @TempDir
    Path dir;

    private final Map<String, String> packed = new TreeMap<>();
    private final Map<String, String> wanted = new TreeMap<>();

    private Path tarball() throws Exception {
        for (int i = 0; i < FILES; i++) {
            // Incompressible-ish text, so the files spread over many 16 KiB xz blocks.
            StringBuilder text = new StringBuilder("// file " + i + "\n");
            java.util.Random random = new java.util.Random(i);
            for (int line = 0; line < 600; line++) {
                text.append(Long.toHexString(random.nextLong())).append('\n');
            }
            packed.put("drivers/d" + (i % 3) + "/f" + i + ".c", text.toString());
        }
        for (Map.Entry<String, String> file : packed.entrySet()) {
            wanted.put(file.getKey(), TestTarballs.sha256(file.getValue()));
        }
        wanted.put("include/generated/autoconf.h", TestTarballs.sha256("#define CONFIG_KCOV 1\n"));
        return TestTarballs.tarball(dir, TOP + ".tar.xz", TOP, packed, 16 << 10);
    }

    @ParameterizedTest(name = "killed before tar entry {0}")
    @ValueSource(ints = {1, 2, 7, 14, 17})
    void aKilledUnpackIsNeverCompleteAndTheNextRunFinishesIt(int killBefore) throws Exception {
        Path tarball = tarball();
        Path tree = dir.resolve("cache").resolve("sources").resolve(TOP + "_9.9.1-1");

        int seen = killAt(tarball, tree, killBefore);

        assertThat(seen).as("the child reached the kill point").isEqualTo(killBefore);
        TarballSources after = new TarballSources(tarball, tree, wanted, null);
        after.prepare(p -> { }, () -> false);
        assertThat(after.isComplete()).as("a killed unpack is not complete").isFalse();
        assertThat(after.text("include/generated/autoconf.h", () -> false)).isEmpty();
        assertThat(after.status("include/generated/autoconf.h")).as("unknown until a whole pass said so")
                .isEqualTo(FileStatus.PENDING);
        for (String path : TestTarballs.files(tree)) {
            assertThat(TestTarballs.sha256(Files.readString(tree.resolve(path)))).as("%s is whole", path)
                    .isEqualTo(wanted.get(path));
        }

        after.unpackRest(p -> { }, () -> false);

        assertThat(after.isComplete()).isTrue();
        assertThat(TestTarballs.files(tree)).containsExactlyInAnyOrderElementsOf(packed.keySet());
        for (Map.Entry<String, String> file : packed.entrySet()) {
            assertThat(after.text(file.getKey(), () -> false)).contains(file.getValue());
            assertThat(after.status(file.getKey())).isEqualTo(FileStatus.VERIFIED);
        }
        after.text("include/generated/autoconf.h", () -> false);
        assertThat(after.status("include/generated/autoconf.h")).isEqualTo(FileStatus.NOT_IN_PACKAGE);
    }

    @Test
    void aTreeLeftMarkedCompleteByTheOldPipelineIsUnpackedAgainAndItsPartialFoldersAreCleaned() throws Exception {
        Path tarball = tarball();
        Path sources = dir.resolve("cache").resolve("sources");
        Path tree = sources.resolve(TOP + "_9.9.1-1");
        // What a killed `tar` left before: a few files and the ".complete" written without any check.
        String first = packed.keySet().iterator().next();
        Files.createDirectories(tree.resolve(first).getParent());
        Files.writeString(tree.resolve(first), packed.get(first));
        Files.writeString(tree.resolve(".complete"), "9.9.1-1\n");
        Path stale = Files.createDirectories(sources.resolve(TOP + "_9.9.1-1.partial-123456/drivers"));
        Files.writeString(stale.resolve("half.c"), "int half");
        Path temp = Files.createDirectories(tree.resolve(".kcov-explorer-tmp"));
        // Named without the writer's pid, as before: abandoned once older than a file takes to write.
        Path half = Files.writeString(temp.resolve("file1.part"), "int hal");
        Files.setLastModifiedTime(half, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        TarballSources again = new TarballSources(tarball, tree, wanted, null);
        again.prepare(p -> { }, () -> false);

        assertThat(again.isComplete()).isFalse();
        assertThat(sources.resolve(TOP + "_9.9.1-1.partial-123456")).doesNotExist();
        assertThat(half).doesNotExist();
        String missing = packed.keySet().stream().skip(FILES - 1).findFirst().orElseThrow();
        assertThat(again.text(missing, () -> false)).as("read on demand from the tarball").contains(packed.get(missing));

        again.unpackRest(p -> { }, () -> false);
        assertThat(again.isComplete()).isTrue();
        assertThat(TestTarballs.files(tree)).containsExactlyInAnyOrderElementsOf(packed.keySet());
        assertThat(tree.resolve(".complete")).doesNotExist();
    }

    /** Runs the stepped unpack in a child JVM and kills it when it waits before entry {@code killBefore}. */
    private int killAt(Path tarball, Path tree, int killBefore) throws Exception {
        Process child = SteppedUnpack.process(tarball, tree, wanted, dir.resolve("wanted.txt"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int seen = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             OutputStream steps = child.getOutputStream()) {
            for (String line = out.readLine(); line != null && line.equals("entry"); line = out.readLine()) {
                seen++;
                if (seen == killBefore) {
                    break;
                }
                steps.write('\n');
                steps.flush();
            }
            child.destroyForcibly();
            assertThat(child.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        return seen;
    }
}
