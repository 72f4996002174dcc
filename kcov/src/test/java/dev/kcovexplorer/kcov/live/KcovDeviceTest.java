package dev.kcovexplorer.kcov.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.kcov.TraceMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The JNA binding against the real kernel: kcov when this machine has it, its error paths otherwise. */
class KcovDeviceTest {

    @Test
    void aMissingKcovIsExplained() {
        assumeFalse(Files.exists(KcovDevice.DEFAULT_PATH), "this machine has kcov");
        assertThatThrownBy(KcovDevice::open)
                .isInstanceOf(KcovException.class)
                .hasMessageMatching("(debugfs is not mounted.*mount -t debugfs.*|this kernel has no kcov.*CONFIG_KCOV.*)");
    }

    @Test
    void aDeviceThatIsNotKcovFailsAtTheFirstIoctlWithItsErrno() throws Exception {
        try (KcovDevice notKcov = KcovDevice.open(Path.of("/dev/null"))) {
            assertThatThrownBy(() -> notKcov.initTrace(1024))
                    .isInstanceOf(KcovException.class)
                    .hasMessageContaining("ENOTTY")
                    .satisfies(e -> assertThat(((KcovException) e).errno()).isEqualTo(Errno.ENOTTY));
        }
    }

    @Test
    void callsInTheWrongOrderAreRefusedWithoutASystemCall() throws Exception {
        try (KcovDevice device = KcovDevice.open(Path.of("/dev/null"))) {
            assertThatThrownBy(() -> device.enable(TraceMode.PC)).hasMessageContaining("initTrace first");
            assertThatThrownBy(device::drain).hasMessageContaining("not enabled");
            assertThatThrownBy(() -> device.initTrace(1)).hasMessageContaining("accepts 2 to");
            assertThatThrownBy(() -> device.initTrace(100)).hasMessageContaining("must be a multiple of 512 words");
        }
    }

    @Test
    void workRunsOnOnePinnedThread() throws Exception {
        try (KcovDevice device = KcovDevice.open(Path.of("/dev/null"))) {
            Thread first = device.onKcovThread(Thread::currentThread);
            Thread second = device.onKcovThread(() -> device.onKcovThread(Thread::currentThread));
            assertThat(second).isSameAs(first).isNotSameAs(Thread.currentThread());
        }
    }

    @Test
    void localTracingRecordsTheKcovThreadsSystemCalls() throws Exception {
        assumeTrue(Files.isWritable(KcovDevice.DEFAULT_PATH), "no writable /sys/kernel/debug/kcov on this machine");
        try (KcovDevice kcov = KcovDevice.open()) {
            kcov.initTrace(1 << 16);
            kcov.enable(TraceMode.PC);
            kcov.onKcovThread(() -> Files.readAllBytes(Path.of("/proc/self/stat")));
            kcov.disable();
            CoverageChunk chunk = kcov.drain();
            assertThat(chunk.entryCount()).isGreaterThan(10);
            assertThat(java.util.Arrays.stream(chunk.words()).allMatch(pc -> pc < 0)).as("kernel addresses").isTrue();
        }
    }
}
