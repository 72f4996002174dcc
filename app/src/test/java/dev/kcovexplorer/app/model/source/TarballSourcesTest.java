package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.testing.Patience;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Source tarballs made by the machine's tar (xz, gzip, plain) read in place, as `--source-root` takes them. */
class TarballSourcesTest {
    private static final String TOP = "linux-source-6.1";
    private static final String HUB = "drivers/usb/core/hub.c";
    private static final String HUB_TEXT = "static void hub_event(struct work_struct *work)\n{\n}\n";
    private static final String LONG = "drivers/" + "very_long_directory_name_".repeat(6) + "/file.c";
    private static final Map<String, String> FILES = Map.of(HUB, HUB_TEXT, LONG, "int long_name;\n",
            "drivers/other.c", "int unrelated;\n");

    private static final Map<String, String> WANTED = Map.of(HUB, "", "missing.c", "");

    @TempDir
    Path dir;

    /**
     * "Re-fetch sources" drops the unpacked tree: until the new pass reads the file, the banner speaks of that pass,
     * not of the last one's "100% read".
     */
    @Test
    void afterTheCopiesAreDroppedAPendingFileWaitsForTheNewPass() throws Exception {
        Path tarball = TestTarballs.tarball(dir, "linux-source-6.1.tar.gz", TOP, FILES, 1 << 20);
        TarballSources sources = new TarballSources(tarball, dir.resolve("cache"), Map.of(HUB, "", "missing.c", ""));
        sources.prepare(p -> { }, () -> false);
        sources.unpackRest(p -> { }, () -> false);

        sources.forgetCopies();
        sources.prepare(p -> { }, () -> false);

        assertThat(sources.isComplete()).isFalse();
        assertThat(sources.text("missing.c", () -> false)).isEmpty();
        assertThat(sources.banner("missing.c")).isEqualTo("missing.c is not unpacked yet from linux-source-6.1.tar.gz "
                + "(not read yet); it shows once it is.");
    }

    /**
     * "Re-fetch sources" deletes the tree, and a delete cut short (a kill, an error partway) must not leave the mark of
     * a complete tree over files it no longer holds: each of those read as "not in linux-source-6.1.tar.xz (generated
     * during the build?)" at every later start (seen with hub.c gone from a marked tree). The mark went last, after
     * every source file (children first, names in reverse order); the first entry of the tree to go is now the mark.
     */
    @Test
    void droppingTheCopiesRemovesTheCompletionMarkBeforeAnyFile() throws Exception {
        Path tarball = TestTarballs.tarball(dir, "linux-source-6.1.tar.gz", TOP, FILES, 1 << 20);
        TarballSources sources = new TarballSources(tarball, dir.resolve("cache"), Map.of(HUB, "", "drivers/other.c", ""));
        sources.prepare(p -> { }, () -> false);
        sources.unpackRest(p -> { }, () -> false);
        assertThat(sources.isComplete()).isTrue();
        Path tree = Files.list(dir.resolve("cache/tarballs")).filter(Files::isDirectory).findFirst().orElseThrow();

        List<String> deleted = new java.util.ArrayList<>();
        try (java.nio.file.WatchService watch = tree.getFileSystem().newWatchService()) {
            java.nio.file.WatchKey key = tree.register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_DELETE);
            sources.forgetCopies();
            // inotify's events reach the key from the JDK's poller thread, in order: the tree itself went last, and
            // its removal invalidates (and signals) the key after every earlier event was queued.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
            while (key.isValid()) {
                assertThat(System.nanoTime()).as("the key of the deleted tree is invalidated").isLessThan(deadline);
                java.nio.file.WatchKey signalled = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (signalled != null) {
                    collectDeletes(signalled, deleted);
                    signalled.reset();
                }
            }
            collectDeletes(key, deleted);
        }

        assertThat(tree).doesNotExist();
        assertThat(deleted).as("the tree's entries in the order they were deleted").isNotEmpty()
                .first().isEqualTo(UnpackedSources.MARKER);
    }

    /**
     * File › Re-fetch Sources during the background unpack (30-75 s on a first run): the drop did not wait for the
     * pass, deleted the files it had written, and the pass then marked the tree complete over them. The drop now
     * takes the tree's lock, so it waits for the pass (which the window cancels first) and removes its work whole.
     */
    @Test
    void aDropDuringTheUnpackNeverLeavesTheTreeMarkedOverMissingFiles() throws Exception {
        Path tarball = TestTarballs.tarball(dir, "linux-source-6.1.tar.gz", TOP, FILES, 0);
        Path tree = dir.resolve("cache/tree");
        UnpackedSources sources = new UnpackedSources(tarball, tree, Map.of(HUB, "", LONG, "", "drivers/other.c", ""));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pass = Executors.newSingleThreadExecutor();
        try {
            // Entries come in name order: the pass stops before the entry after drivers/other.c, its first file.
            Future<UnpackedSources.Check> unpacked = pass.submit(() -> sources.unpackRest(p -> { }, () -> {
                if (Files.isRegularFile(tree.resolve("drivers/other.c")) && held.getCount() > 0) {
                    held.countDown();
                    awaitOrFail(release);
                }
                return false;
            }));
            assertThat(held.await(Patience.SECONDS, TimeUnit.SECONDS)).as("the pass wrote drivers/other.c").isTrue();

            AtomicReference<Throwable> dropFailure = new AtomicReference<>();
            Thread drop = new Thread(() -> {
                try {
                    sources.delete();
                } catch (Throwable t) {
                    dropFailure.set(t);
                }
            }, "drop");
            drop.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
            while (drop.isAlive() && !waitsForTheLock(drop)) {
                assertThat(System.nanoTime()).as("the drop ends or waits for the pass").isLessThan(deadline);
                drop.join(10);
            }
            assertThat(drop.isAlive()).as("the drop waits for the pass to end").isTrue();
            release.countDown();
            unpacked.get(Patience.SECONDS, TimeUnit.SECONDS);
            drop.join(TimeUnit.SECONDS.toMillis(Patience.SECONDS));
            assertThat(drop.isAlive()).as("the drop ended").isFalse();
            assertThat(dropFailure.get()).isNull();
        } finally {
            release.countDown();
            pass.shutdownNow();
        }

        List<String> missing = FILES.keySet().stream().filter(path -> !Files.isRegularFile(tree.resolve(path))).toList();
        if (!missing.isEmpty()) {
            assertThat(sources.isComplete()).as("marked complete though %s are missing", missing).isFalse();
        }
        sources.unpackRest(p -> { }, () -> false);
        assertThat(sources.isComplete()).isTrue();
        assertThat(tree.resolve(HUB)).hasContent(HUB_TEXT);
    }

    /**
     * A file removed while the pass runs, by something that does not take the tree's lock (an rm, an earlier
     * version's Re-fetch), must not be marked as unpacked: the pass marks only what is in the tree at its end.
     */
    @Test
    void aFileRemovedDuringThePassLeavesTheTreeUnmarked() throws Exception {
        Path tarball = TestTarballs.tarball(dir, "linux-source-6.1.tar.gz", TOP, FILES, 0);
        Path tree = dir.resolve("cache/tree");
        Path other = tree.resolve("drivers/other.c");
        UnpackedSources sources = new UnpackedSources(tarball, tree, Map.of(HUB, "", LONG, "", "drivers/other.c", ""));
        boolean[] removed = {false};

        sources.unpackRest(p -> { }, () -> {
            if (!removed[0] && Files.isRegularFile(other)) {
                removed[0] = other.toFile().delete();
            }
            return false;
        });

        assertThat(removed[0]).as("drivers/other.c was removed mid-pass").isTrue();
        assertThat(sources.isComplete()).as("marked complete without drivers/other.c").isFalse();
        sources.unpackRest(p -> { }, () -> false);
        assertThat(sources.isComplete()).isTrue();
        assertThat(other).hasContent("int unrelated;\n");
    }

    private static void collectDeletes(java.nio.file.WatchKey key, List<String> deleted) {
        for (java.nio.file.WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == java.nio.file.StandardWatchEventKinds.ENTRY_DELETE) {
                deleted.add(event.context().toString());
            }
        }
    }

    private static boolean waitsForTheLock(Thread thread) {
        return java.util.Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("waitForLock"));
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(Patience.SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A tree marked complete that lost a file since (a Re-fetch cut short by an earlier version, an rm) said the file
     * was "not in linux-source-6.1.tar.xz (generated during the build?)" at every start, with an empty editor (seen
     * with hub.c). Only a Debian-style multi-block .tar.xz was searched again; a single-stream .tar.xz or a .tar.gz
     * the user chose kept saying "not in" until File › Re-fetch Sources. Whatever the kind, the file comes back, and
     * a file that is truly not in the archive is still said to be so.
     */
    @ParameterizedTest(name = "{0}, xz block {1}")
    @CsvSource({"linux-source-6.1.tar.xz, 1024", "linux-source-6.1.tar.xz, 1048576", "linux-source-6.1.tar.gz, 0"})
    void aFileGoneFromACompleteTreeIsReadFromTheArchiveAgainInsteadOfCalledAbsent(String name, int xzBlock)
            throws Exception {
        Path tarball = TestTarballs.tarball(dir, name, TOP, FILES, xzBlock);
        Path tree = completeTreeMissingHub(tarball);

        TarballSources next = new TarballSources(tarball, dir.resolve("cache"), WANTED);
        next.prepare(p -> { }, () -> false);
        assertThat(next.isComplete()).as("the mark is still there").isTrue();

        assertThat(next.text(HUB, () -> false)).as("hub.c, gone from the tree").contains(HUB_TEXT);
        assertThat(next.banner(HUB)).isNull();
        assertThat(tree.resolve(HUB)).as("put back into the tree").hasContent(HUB_TEXT);
        assertThat(next.text("missing.c", () -> false)).isEmpty();
        assertThat(next.banner("missing.c")).isEqualTo("missing.c is not in " + name + " (generated during the build?).");
    }

    /**
     * The background pass of a start found a tree marked complete and only checked it, leaving a lost file lost; it
     * now unpacks such a tree again (any kind of archive), and the tree stays marked with the truly absent file.
     */
    @ParameterizedTest(name = "{0}, xz block {1}")
    @CsvSource({"linux-source-6.1.tar.xz, 1024", "linux-source-6.1.tar.xz, 1048576", "linux-source-6.1.tar.gz, 0"})
    void aStartUnpacksACompleteTreeThatLostAFileAgain(String name, int xzBlock) throws Exception {
        Path tarball = TestTarballs.tarball(dir, name, TOP, FILES, xzBlock);
        Path tree = completeTreeMissingHub(tarball);

        TarballSources next = new TarballSources(tarball, dir.resolve("cache"), WANTED);
        next.prepare(p -> { }, () -> false);
        next.unpackRest(p -> { }, () -> false);

        assertThat(tree.resolve(HUB)).as("unpacked again").hasContent(HUB_TEXT);
        assertThat(next.isComplete()).isTrue();
        assertThat(next.text("missing.c", () -> false)).isEmpty();
        assertThat(next.banner("missing.c")).isEqualTo("missing.c is not in " + name + " (generated during the build?).");
    }

    /**
     * A file lost from a complete tree that the search does not find again (a tarball not in name order: the search
     * stops at the first name after it) is a damaged cache, said so with what to do, not "not in" the archive; the
     * start's pass puts it back.
     */
    @Test
    void aLostFileTheSearchMissesIsCalledADamagedCacheUntilThePassPutsItBack() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        for (String path : new String[] {HUB, "zz.c"}) {
            Files.createDirectories(work.resolve(TOP).resolve(path).getParent());
            Files.writeString(work.resolve(TOP).resolve(path), path.equals(HUB) ? HUB_TEXT : "int z;\n");
        }
        TestTarballs.run(work, "tar", "--format=gnu", "-cf", dir.resolve("linux-source-6.1.tar").toString(),
                TOP + "/zz.c", TOP + "/" + HUB);
        TestTarballs.run(dir, "gzip", "linux-source-6.1.tar");
        Path tarball = dir.resolve("linux-source-6.1.tar.gz");
        Path tree = completeTreeMissingHub(tarball);

        TarballSources next = new TarballSources(tarball, dir.resolve("cache"), WANTED);
        next.prepare(p -> { }, () -> false);
        assertThat(next.text(HUB, () -> false)).isEmpty();
        assertThat(next.banner(HUB)).isEqualTo(HUB + " is in linux-source-6.1.tar.gz but missing from its unpacked copy "
                + "(the cache was damaged): the background unpack puts it back, at the latest at the next start; "
                + "File › Re-fetch Sources unpacks everything anew.");

        next.unpackRest(p -> { }, () -> false);
        assertThat(next.text(HUB, () -> false)).contains(HUB_TEXT);
        assertThat(next.banner(HUB)).isNull();
        assertThat(tree.resolve(HUB)).hasContent(HUB_TEXT);
    }

    /**
     * A marker written by an earlier version lists the covered paths alone: it cannot tell hub.c, lost since, from a
     * file the archive lacks. Such a tree is not complete, so the next pass unpacks it again and marks it anew.
     */
    @Test
    void aTreeMarkedByAnEarlierVersionIsUnpackedOnceMore() throws Exception {
        Path tarball = TestTarballs.tarball(dir, "linux-source-6.1.tar.gz", TOP, FILES, 0);
        Path tree = completeTreeMissingHub(tarball);
        Files.writeString(tree.resolve(UnpackedSources.MARKER), HUB + "\nmissing.c\n");

        TarballSources next = new TarballSources(tarball, dir.resolve("cache"), WANTED);
        next.prepare(p -> { }, () -> false);
        assertThat(next.isComplete()).as("an earlier version's mark").isFalse();
        next.unpackRest(p -> { }, () -> false);

        assertThat(next.isComplete()).isTrue();
        assertThat(tree.resolve(HUB)).hasContent(HUB_TEXT);
        assertThat(tree.resolve(UnpackedSources.MARKER)).hasContent(
                UnpackedSources.MARKER_HEADER + "\n+ " + HUB + "\n- missing.c");
    }

    /** A tree unpacked and marked complete for {@link #WANTED}, from which hub.c was then removed. */
    private Path completeTreeMissingHub(Path tarball) throws Exception {
        TarballSources first = new TarballSources(tarball, dir.resolve("cache"), WANTED);
        first.prepare(p -> { }, () -> false);
        first.unpackRest(p -> { }, () -> false);
        assertThat(first.isComplete()).isTrue();
        Path tree;
        try (var trees = Files.list(dir.resolve("cache/tarballs"))) {
            tree = trees.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Files.delete(tree.resolve(HUB));
        return tree;
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux-source-6.1.tar.gz", "linux-source-6.1.tar.xz", "linux-source-6.1.tar"})
    void wantedFilesAreReadFromTheTarballAndNothingElseIsUnpacked(String name) throws Exception {
        Path tarball = TestTarballs.tarball(dir, name, TOP, FILES, 1 << 20);
        Path cache = dir.resolve("cache");
        TarballSources sources = new TarballSources(tarball, cache, Map.of(HUB, "", LONG, "", "missing.c", ""));
        sources.prepare(p -> { }, () -> false);
        assertThat(sources.text("missing.c", () -> false)).isEmpty();
        assertThat(sources.banner("missing.c")).as("before the pass a missing file is pending, not absent")
                .contains("not unpacked yet");

        sources.unpackRest(p -> { }, () -> false);

        assertThat(sources.isComplete()).isTrue();
        assertThat(sources.text(HUB, () -> false)).contains(HUB_TEXT);
        assertThat(sources.text(LONG, () -> false)).as("a GNU long name").contains("int long_name;\n");
        assertThat(sources.text("missing.c", () -> false)).isEmpty();
        assertThat(sources.banner("missing.c")).isEqualTo("missing.c is not in " + name + " (generated during the build?).");
        Path tree = Files.list(cache.resolve("tarballs")).filter(Files::isDirectory).findFirst().orElseThrow();
        assertThat(TestTarballs.files(tree)).containsExactlyInAnyOrder(HUB, LONG);
    }

    @Test
    void aFileThatDiffersFromTheBuildGetsABannerAndAMatchingOneNone() throws Exception {
        Path tarball = TestTarballs.tarball(dir, "src.tar.gz", TOP, FILES, 1 << 20);
        TarballSources sources = new TarballSources(tarball, dir.resolve("cache"),
                Map.of(HUB, TestTarballs.sha256("something else"), LONG, TestTarballs.sha256("int long_name;\n")));
        sources.unpackRest(p -> { }, () -> false);
        assertThat(sources.text(HUB, () -> false)).contains(HUB_TEXT);
        assertThat(sources.status(HUB)).isEqualTo(FileStatus.DRIFTED);
        assertThat(sources.banner(HUB)).contains("SHA-256 mismatch");
        assertThat(sources.text(LONG, () -> false)).isPresent();
        assertThat(sources.status(LONG)).isEqualTo(FileStatus.VERIFIED);
        assertThat(sources.banner(LONG)).isNull();
    }

    @Test
    void aBrokenTarballIsNamedAndNeverMarkedComplete() throws Exception {
        Path bad = Files.writeString(dir.resolve("broken.tar.gz"), "not gzip at all");
        TarballSources sources = new TarballSources(bad, dir.resolve("cache"), Map.of(HUB, ""));
        assertThatThrownBy(() -> sources.unpackRest(p -> { }, () -> false)).isInstanceOf(IOException.class)
                .hasMessageContaining(bad.toString());
        assertThat(sources.isComplete()).isFalse();
        assertThatThrownBy(() -> sources.text(HUB, () -> false)).isInstanceOf(IOException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("not a readable .tar.gz archive");
        assertThat(sources.banner(HUB)).startsWith("Cannot read sources from " + bad);
    }

    @Test
    void aTarballCutShortIsNeverMarkedCompleteEvenWhenEveryWantedFileCameBeforeTheCut() throws Exception {
        Map<String, String> files = new TreeMap<>(FILES);
        files.put("zz/last.c", "x".repeat(200_000));
        Path whole = TestTarballs.tarball(dir, "whole.tar.xz", TOP, files, 1 << 16);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tar.xz"), java.util.Arrays.copyOf(bytes, bytes.length - 64));
        TarballSources sources = new TarballSources(cut, dir.resolve("cache"), Map.of(HUB, ""));

        assertThatThrownBy(() -> sources.unpackRest(p -> { }, () -> false)).isInstanceOf(IOException.class)
                .hasMessageContaining(cut.toString());

        assertThat(sources.isComplete()).isFalse();
        assertThat(sources.text(HUB, () -> false)).as("what was read whole is still shown").contains(HUB_TEXT);
    }

    /** Cut in the middle of its xz stream, the archive's end of input has no message: it said "cut.tar.xz: null". */
    @Test
    void aTarballCutInHalfSaysItEndsEarly() throws Exception {
        Path whole = TestTarballs.tarball(dir, "whole.tar.xz", TOP, FILES, 1 << 16);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tar.xz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        TarballSources sources = new TarballSources(cut, dir.resolve("cache"), Map.of(HUB, ""));

        assertThatThrownBy(() -> sources.unpackRest(p -> { }, () -> false)).isInstanceOf(IOException.class)
                .hasMessage(cut + ": the archive ends early (cut short?)");
    }
}
