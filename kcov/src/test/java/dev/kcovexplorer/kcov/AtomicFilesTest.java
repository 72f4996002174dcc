package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static void write(Path target, String text) throws IOException {
        AtomicFiles.write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void tempFilesAKilledWriteLeftBehindAreRemovedByTheNextWrite() throws Exception {
        Path target = dir.resolve("out.bin");
        // A process that surely is gone: one we started and waited for.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path deadPid = Files.writeString(dir.resolve(".out.bin.pid-" + gone.pid() + ".123456.tmp"), "half");
        Path legacy = Files.writeString(dir.resolve(".out.bin8812739912.tmp"), "half");
        Path running = Files.writeString(dir.resolve(".out.bin.pid-" + ProcessHandle.current().pid() + ".77.tmp"), "busy");
        Path otherTarget = Files.writeString(dir.resolve(".other.bin1234.tmp"), "not ours to clean");
        write(target, "whole");
        assertThat(target).hasContent("whole");
        assertThat(deadPid).doesNotExist();
        assertThat(legacy).doesNotExist();
        assertThat(running).exists();
        assertThat(otherTarget).exists();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("out.bin", running.getFileName().toString(), ".other.bin1234.tmp");
        }
    }

    @Test
    void aSymlinkStaysALinkAndItsTargetIsReplaced() throws IOException {
        Path real = Files.writeString(dir.resolve("real.bin"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), Path.of("real.bin"));
        write(link, "new");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real).hasContent("new");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.bin"), Path.of("created.bin"));
        write(dangling, "fresh");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(dir.resolve("created.bin")).hasContent("fresh");
    }

    @Test
    void aFifoIsWrittenThroughAndStaysAFifo() throws Exception {
        Requirements.tools("mkfifo");
        Path fifo = dir.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        write(fifo, "through the pipe");
        assertThat(reader.get()).isEqualTo("through the pipe");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.isSymbolicLink(fifo)).isFalse();
    }

    @Test
    void devNullIsWrittenToNotReplaced() throws IOException {
        Path devNull = Path.of("/dev/null");
        Requirements.require(Files.isWritable(devNull), "/dev/null is not writable here");
        write(devNull, "discarded");
        assertThat(Files.isRegularFile(devNull)).isFalse();
        assertThat(Files.size(devNull)).isZero();
    }

    @Test
    void theWrittenFileIsReadableByOthersLikeAnyFileTheUserWrites() throws IOException {
        Path target = dir.resolve("shared.png");
        write(target, "png");
        assertThat(Files.getPosixFilePermissions(target)).contains(PosixFilePermission.OTHERS_READ);
    }

    /**
     * A write whose commit says no leaves the target as it was and no temporary file, and says so with a
     * CancellationException; asked once, after the whole content was written (a refusal that comes while the content is
     * written still refuses it). One that says yes replaces the file as a plain write does.
     */
    @Test
    void aRefusedCommitLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("session.kcovx"), "the old session");
        boolean[] refused = new boolean[1];
        int[] asked = new int[1];
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("the new one".getBytes(StandardCharsets.UTF_8));
            refused[0] = true;
        }, () -> {
            asked[0]++;
            return !refused[0];
        })).isInstanceOf(CancellationException.class).hasMessageContaining(target.toString());
        assertThat(asked[0]).isOne();
        assertThat(target).hasContent("the old session");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("session.kcovx");
        }

        AtomicFiles.write(target, out -> out.write("committed".getBytes(StandardCharsets.UTF_8)), () -> true);
        assertThat(target).hasContent("committed");
    }

    /**
     * The writer is told the file is in place right after the rename, on the writing thread, the target then holding
     * the new content; a refused file is never said placed. A demo took "saved" from its save's callback, which a
     * failure after the rename skips: it said "not writing" of a file in place.
     */
    @Test
    void placedIsToldOnceTheTargetHoldsTheContentAndNeverForARefusedFile() throws IOException {
        Path target = Files.writeString(dir.resolve("session.kcovx"), "the old session");
        List<String> heldWhenPlaced = new ArrayList<>();
        AtomicFiles.write(target, out -> out.write("the new one".getBytes(StandardCharsets.UTF_8)),
                new AtomicFiles.Commit() {
                    @Override
                    public boolean commit() {
                        return true;
                    }

                    @Override
                    public void placed() {
                        try {
                            heldWhenPlaced.add(Files.readString(target));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
        assertThat(heldWhenPlaced).containsExactly("the new one");

        List<String> placedWhenRefused = new ArrayList<>();
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> out.write("refused".getBytes(StandardCharsets.UTF_8)),
                new AtomicFiles.Commit() {
                    @Override
                    public boolean commit() {
                        return false;
                    }

                    @Override
                    public void placed() {
                        placedWhenRefused.add("placed");
                    }
                })).isInstanceOf(CancellationException.class);
        assertThat(placedWhenRefused).isEmpty();
        assertThat(target).hasContent("the new one");
    }
}
