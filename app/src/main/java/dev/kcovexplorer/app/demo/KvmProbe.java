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
    private final Path verdictFile;
    private final Path device;

    KvmProbe(Path verdictFile) {
        this(verdictFile, Path.of("/dev/kvm"));
    }

    KvmProbe(Path verdictFile, Path device) {
        this.verdictFile = verdictFile;
        this.device = device;
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

    void record(boolean works) {
        try {
            Files.createDirectories(verdictFile.getParent());
            // Atomic: a torn "RELEASE wo" would read as a verdict that KVM hangs, and keep the VM on TCG for good.
            byte[] verdict = (hostRelease() + (works ? " works" : " hangs") + "\n").getBytes(StandardCharsets.US_ASCII);
            AtomicFiles.write(verdictFile, out -> out.write(verdict));
        } catch (IOException e) {
            // not remembered: the next start probes again
        }
    }

    private static String hostRelease() {
        return System.getProperty("os.version").replace(' ', '_');
    }
}
