package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oops check reads the taint mask as the kernel prints it (decimal), bit 7 ("D") meaning a task died. */
class KernelTaintTest {
    @TempDir
    Path dir;

    @Test
    void anOopsAfterTheStartIsSeenAndOtherTaintsAreNot() throws Exception {
        Path tainted = dir.resolve("tainted");
        Files.writeString(tainted, "4096\n"); // O: an out-of-tree module
        KernelTaint taint = new KernelTaint(tainted);
        assertThat(taint.oopsedSince()).isFalse();
        Files.writeString(tainted, Long.toString(4096 | 128) + "\n");
        assertThat(taint.oopsedSince()).isTrue();
    }

    @Test
    void aKernelThatHadOopsedAlreadyTellsNothing() throws Exception {
        Path tainted = dir.resolve("tainted");
        Files.writeString(tainted, "128\n");
        assertThat(new KernelTaint(tainted).oopsedSince()).isFalse();
    }

    @Test
    void noTaintFileTellsNothing() {
        assertThat(new KernelTaint(dir.resolve("missing")).oopsedSince()).isFalse();
    }
}
