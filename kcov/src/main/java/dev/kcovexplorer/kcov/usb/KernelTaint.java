package dev.kcovexplorer.kcov.usb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the kernel has oopsed since the campaign started: {@code /proc/sys/kernel/tainted} gains
 * {@code TAINT_DIE} (bit 7, "D"). A device that makes hub_event oops (a divide error in a HID driver's probe,
 * say) kills the worker that serves the bus: every later device gets no request at all, and a campaign going on
 * would paint a flat curve as if the fuzzer had found nothing more.
 */
final class KernelTaint {
    static final Path PROC = Path.of("/proc/sys/kernel/tainted");
    private static final long TAINT_DIE = 1L << 7;

    private final Path tainted;
    private final boolean diedBefore;

    KernelTaint(Path tainted) {
        this.tainted = tainted;
        this.diedBefore = died();
    }

    /** Whether the kernel oopsed after this was made (not when it already had: then nothing can be told). */
    boolean oopsedSince() {
        return !diedBefore && died();
    }

    private boolean died() {
        try {
            return (Long.parseLong(Files.readString(tainted).trim()) & TAINT_DIE) != 0;
        } catch (IOException | NumberFormatException e) {
            return false; // no procfs (not Linux) or an odd kernel: nothing to tell
        }
    }
}
