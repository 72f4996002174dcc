package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second window started while a first one unpacks the same source tree: its start cleans what killed runs left
 * there ({@link TarballSources#prepare}), and must leave the files the first one is writing alone. A newcomer waiting
 * on a slow first start does start it twice; the first window's pass then failed on its own temporary file, removed
 * under it ("NoSuchFileException ... .kcov-explorer-tmp/file….part").
 */
class ConcurrentStartTest {
    private static final String TOP = "linux-source-9.9";
    private static final int FILES = 300;

    @TempDir
    Path dir;

    @Test
    void startsOfOtherWindowsDuringAnUnpackLeaveItsFilesAlone() throws Exception {
        Map<String, String> wanted = new TreeMap<>();
        Map<String, String> packed = new TreeMap<>();
        for (int i = 0; i < FILES; i++) {
            StringBuilder text = new StringBuilder("// file " + i + "\n");
            Random random = new Random(i);
            for (int line = 0; line < 800; line++) {
                text.append(Long.toHexString(random.nextLong())).append('\n');
            }
            packed.put("drivers/d" + (i % 7) + "/f" + i + ".c", text.toString());
            wanted.put("drivers/d" + (i % 7) + "/f" + i + ".c", TestTarballs.sha256(text.toString()));
        }
        Path tarball = TestTarballs.tarball(dir, TOP + ".tar.xz", TOP, packed, 1 << 20);
        Path tree = dir.resolve("cache").resolve("sources").resolve(TOP + "_9.9.1-1");

        // The first window's background unpack, in a process of its own, let through entry after entry.
        Process first = SteppedUnpack.process(tarball, tree, wanted, dir.resolve("wanted.txt")).start();
        // Other windows start, one after the other, all through the pass: each entry is let through only once another
        // start has finished since the last one, so that the starts run all along the pass however the machine's load
        // shares it between the two (a count of starts compared with the entries was a race between them).
        AtomicBoolean passing = new AtomicBoolean(true);
        Semaphore started = new Semaphore(0);
        int stepped = 0;
        AtomicReference<Exception> startFailure = new AtomicReference<>();
        Thread others = new Thread(() -> {
            try {
                while (passing.get()) {
                    new TarballSources(tarball, tree, wanted, null).prepare(p -> { }, () -> false);
                    started.release();
                }
            } catch (Exception e) {
                startFailure.set(e);
            }
        }, "other windows");
        others.start();
        String last = "";
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
             OutputStream steps = first.getOutputStream()) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                last = line;
                if (!line.equals("entry")) {
                    break;
                }
                if (!started.tryAcquire(Patience.SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("no other window started within " + Patience.SECONDS + " s",
                            startFailure.get());
                }
                started.drainPermits();
                stepped++;
                steps.write('\n');
                steps.flush();
            }
        } finally {
            passing.set(false);
            others.join();
        }
        String errors = new String(first.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(last).as("the first window's unpack finished; its errors: %s", errors).isEqualTo("complete");
        assertThat(startFailure.get()).isNull();
        assertThat(stepped).as("entries let through, each after another window's start").isGreaterThanOrEqualTo(FILES);
        assertThat(first.exitValue()).isZero();
        TarballSources after = new TarballSources(tarball, tree, wanted, null);
        after.prepare(p -> { }, () -> false);
        assertThat(after.isComplete()).isTrue();
        for (Map.Entry<String, String> file : packed.entrySet()) {
            assertThat(after.text(file.getKey(), () -> false)).contains(file.getValue());
        }
    }
}
