package dev.kcovexplorer.app.demo;

import dev.kcovexplorer.kcov.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the demo VM may use KVM: {@code /dev/kvm} must be usable, and a first boot with it must have got
 * through, since nested KVM on some hosts hangs the guest at boot. The verdict is kept per host kernel
 * release in the cache, so only the first start pays for finding out.
 */
final class KvmProbe {
    /** A first KVM boot that has not reached the init by then is taken for a hang (nested KVM does that). */
    static final long HANG_SECONDS = 40;

    private final Path verdictFile;
    private final Path device;
    private final long hangSeconds;

    KvmProbe(Path verdictFile) {
        this(verdictFile, Path.of("/dev/kvm"), HANG_SECONDS);
    }

    KvmProbe(Path verdictFile, Path device, long hangSeconds) {
        this.verdictFile = verdictFile;
        this.device = device;
        this.hangSeconds = hangSeconds;
    }

    /** How long the probe boot may take to reach the guest's init before it is taken for a hang. */
    long hangSeconds() {
        return hangSeconds;
    }

    boolean deviceUsable() {
        return Files.isReadable(device) && Files.isWritable(device);
    }

    /** True: KVM booted the guest on this host kernel; false: it hung, or QEMU could not start it; null: not tried yet. */
    Boolean verdict() {
        try {
            String[] words = Files.readString(verdictFile).trim().split(" ");
            return words.length == 2 && words[0].equals(hostRelease()) ? "works".equals(words[1]) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Keeps the verdict for this host kernel; false when it could not be kept (the next start probes again). */
    boolean record(boolean works) {
        try {
            Files.createDirectories(verdictFile.getParent());
            // Atomic: a torn "RELEASE wo" would read as a verdict that KVM hangs, and keep the VM on TCG for good.
            byte[] verdict = (hostRelease() + (works ? " works" : " hangs") + "\n").getBytes(StandardCharsets.US_ASCII);
            AtomicFiles.write(verdictFile, out -> out.write(verdict));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String hostRelease() {
        return System.getProperty("os.version").replace(' ', '_');
    }
}
