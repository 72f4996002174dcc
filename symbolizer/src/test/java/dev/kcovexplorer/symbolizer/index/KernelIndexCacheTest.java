package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache reuses a fresh file and rebuilds a stale or corrupt one. */
class KernelIndexCacheTest {
    @TempDir
    Path dir;

    @Test
    void reuseStaleAndCorrupt() throws Exception {
        NativeTools.assume("llvm-symbolizer");
        Path program = CoverageHarness.build(dir, "gcc", "cache-O2", List.of("-O2", "-g", "-fsanitize-coverage=trace-pc",
                "-Wl,--build-id=sha1"));
        AtomicInteger builds = new AtomicInteger();
        KernelIndexCache cache = new KernelIndexCache(dir.resolve("cache"), new KernelIndexBuilder(elf -> {
            builds.incrementAndGet();
            return ExternalBackend.LLVM.open(elf.path());
        }));

        KernelIndexCache.Result first = cache.open(program, BuildMonitor.SILENT);
        assertThat(first.status()).isEqualTo(KernelIndexCache.Status.BUILT);
        assertThat(first.file()).exists().hasParent(dir.resolve("cache").resolve("index"));
        assertThat(first.file().getFileName().toString()).startsWith(first.index().buildId());

        KernelIndexCache.Result second = cache.open(program, BuildMonitor.SILENT);
        assertThat(second.status()).isEqualTo(KernelIndexCache.Status.REUSED);
        assertThat(builds).hasValue(1);
        KernelIndexCodecTest.assertSame(second.index(), first.index());

        Files.setLastModifiedTime(program, FileTime.fromMillis(Files.getLastModifiedTime(program).toMillis() - 60_000));
        KernelIndexCache.Result stale = cache.open(program, BuildMonitor.SILENT);
        assertThat(stale.status()).isEqualTo(KernelIndexCache.Status.REBUILT_STALE);
        assertThat(builds).hasValue(2);

        try (RandomAccessFile f = new RandomAccessFile(first.file().toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xff);
        }
        KernelIndexCache.Result corrupt = cache.open(program, BuildMonitor.SILENT);
        assertThat(corrupt.status()).isEqualTo(KernelIndexCache.Status.REBUILT_CORRUPT);
        assertThat(corrupt.detail()).contains("checksum");
        KernelIndexCodecTest.assertSame(corrupt.index(), first.index());

        assertThat(cache.open(program, BuildMonitor.SILENT).status()).isEqualTo(KernelIndexCache.Status.REUSED);
        assertThat(builds).hasValue(3);
        try (var leftovers = Files.list(first.file().getParent())) {
            assertThat(leftovers).containsExactly(first.file());
        }
    }

    /**
     * A file an earlier version saved (version 2 named a copied tree's files under the copy) has the image's build
     * id, size and mtime: only its cache version tells it apart, and it is rebuilt, not reused.
     */
    @Test
    void aFileOfAnEarlierCacheVersionIsRebuilt() throws Exception {
        Path program = CoverageHarness.build(dir, "gcc", "cache-version-O2", List.of("-O2", "-g",
                "-fsanitize-coverage=trace-pc", "-Wl,--build-id=sha1"));
        KernelIndexCache cache = new KernelIndexCache(dir.resolve("cache"), new KernelIndexBuilder());
        KernelIndexCache.Result first = cache.open(program, BuildMonitor.SILENT);
        assertThat(first.status()).isEqualTo(KernelIndexCache.Status.BUILT);

        try (RandomAccessFile f = new RandomAccessFile(first.file().toFile(), "rw")) {
            f.seek(8); // the cache version, after the magic: little-endian int
            f.write(new byte[] {2, 0, 0, 0});
        }
        KernelIndexCache.Result earlier = cache.open(program, BuildMonitor.SILENT);
        assertThat(earlier.status()).isEqualTo(KernelIndexCache.Status.REBUILT_STALE);
        assertThat(earlier.detail()).startsWith("cache format 2 instead of ");
        KernelIndexCodecTest.assertSame(earlier.index(), first.index());
        assertThat(cache.open(program, BuildMonitor.SILENT).status()).isEqualTo(KernelIndexCache.Status.REUSED);
    }

    /**
     * An address that is no coverage point (a function's entry) is answered by the DWARF reader the build read, of
     * the image the index is of: not by a second read of the DWARF through the path, which by then may name
     * another file (a rebuilt vmlinux). llvm-symbolizer on a copy of the image is the reference.
     */
    @Test
    void whatTheIndexMissesIsAnsweredFromTheImageItWasBuiltFrom() throws Exception {
        NativeTools.assume("llvm-symbolizer");
        NativeTools.assume("nm");
        Path program = CoverageHarness.build(dir, "gcc", "misses-O2", List.of("-O2", "-g",
                "-fsanitize-coverage=trace-pc", "-Wl,--build-id=sha1"));
        Path rebuilt = CoverageHarness.build(dir, "gcc", "misses-O0", List.of("-O0", "-g",
                "-fsanitize-coverage=trace-pc", "-Wl,--build-id=sha1"));
        Path original = Files.copy(program, dir.resolve("misses-O2-copy"));
        long entry = Long.parseUnsignedLong(NativeTools.run(dir, List.of("nm", program.toString())).lines()
                .filter(l -> l.endsWith(" T main")).findFirst().orElseThrow().split(" ")[0], 16);
        List<Frame> expected = llvm(original, entry);
        assertThat(llvm(rebuilt, entry)).as("the rebuilt file answers otherwise").isNotEqualTo(expected);

        KernelIndexCache cache = new KernelIndexCache(dir.resolve("cache"), new KernelIndexBuilder());
        KernelIndexCache.Opening opening = cache.openIfSavingConcurrently(program, BuildMonitor.SILENT,
                points -> true, symbolizer -> { }).orElseThrow();
        try {
            assertThat(opening.index().findPoint(entry)).as("main's entry is no coverage point").isNegative();
            Files.move(rebuilt, program, StandardCopyOption.REPLACE_EXISTING);
            assertThat(opening.dwarf().symbolize(new long[] {entry})).containsExactly(expected);
        } finally {
            assertThat(opening.finish().status()).isEqualTo(KernelIndexCache.Status.BUILT);
        }
    }

    private static List<Frame> llvm(Path program, long address) throws Exception {
        try (var llvm = ExternalBackend.LLVM.open(program)) {
            return llvm.symbolize(new long[] {address}).get(0);
        }
    }

    @Test
    void aSaveRemovesTheTemporaryFilesOfKilledWritersAndKeepsThoseOfLiveOnes() throws Exception {
        Path program = CoverageHarness.build(dir, "gcc", "temps", List.of("-O2", "-g", "-fsanitize-coverage=trace-pc",
                "-Wl,--build-id=sha1"));
        Path index = Files.createDirectories(dir.resolve("cache").resolve("index"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Process writing = new ProcessBuilder("cat").start(); // runs until its input closes: a writer still saving
        try {
            Path killed = Files.write(index.resolve(".feed.kidx.pid-" + gone.pid() + ".1234.tmp"), new byte[4096]);
            Path live = Files.write(index.resolve(".beef.kidx.pid-" + writing.pid() + ".5678.tmp"), new byte[4096]);
            Path oldUnnamed = Files.write(index.resolve(".kidx-42.tmp"), new byte[4096]);
            Files.setLastModifiedTime(oldUnnamed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            Path recentUnnamed = Files.write(index.resolve(".kidx-43.tmp"), new byte[4096]);
            Path foreign = Files.write(index.resolve(".notes.tmp"), new byte[1]);

            KernelIndexCache.Result built = new KernelIndexCache(dir.resolve("cache"), new KernelIndexBuilder())
                    .open(program, BuildMonitor.SILENT);

            assertThat(built.status()).isEqualTo(KernelIndexCache.Status.BUILT);
            try (var left = Files.list(index)) {
                assertThat(left).as("a killed writer's and an hour-old pid-less temporary file are gone")
                        .containsExactlyInAnyOrder(built.file(), live, recentUnnamed, foreign);
            }
            assertThat(killed).doesNotExist();
        } finally {
            writing.destroy();
            writing.waitFor();
        }
    }
}
