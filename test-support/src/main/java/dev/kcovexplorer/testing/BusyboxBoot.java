package dev.kcovexplorer.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A kernel booted under QEMU (TCG, as nested KVM hangs here) with a busybox initramfs whose init runs a shell
 * script with {@code /proc} and {@code /sys} mounted and powers off: what the script echoes comes back as the
 * serial console's text. For tests that need a few facts from inside a real kernel's boot (Debian's KASLR images).
 */
public final class BusyboxBoot {
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    /** The script line that prints the first pages of {@code /proc/kcore} for {@link #kcorePrefix}. */
    public static final String PRINT_KCORE = "echo kx-kcore-begin; dd if=/proc/kcore bs=4096 count=4 2>/dev/null"
            + " | gzip | base64; echo kx-kcore-end";
    private static final Pattern KCORE = Pattern.compile("kx-kcore-begin\\s+(.*?)\\s+kx-kcore-end", Pattern.DOTALL);

    private BusyboxBoot() {
    }

    /** QEMU, cpio, gzip and a static busybox, by {@link Requirements}' rule for what is missing. */
    public static void requireTools() {
        Requirements.tools("qemu-system-x86_64", "cpio", "gzip");
        Requirements.require(Files.isExecutable(BUSYBOX), "no static busybox: apt-get install busybox-static");
    }

    /**
     * Boots {@code kernel} with {@code memory} (QEMU's {@code -m}) and an initramfs, made in {@code dir}, of busybox,
     * {@code files} (each at the root under its own name) and {@code script} as init; returns the console.
     */
    public static String run(Path dir, Path kernel, String memory, List<Path> files, String script)
            throws IOException, InterruptedException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        for (String mountPoint : List.of("bin", "proc", "sys")) {
            Files.createDirectories(tree.resolve(mountPoint));
        }
        Files.copy(BUSYBOX, tree.resolve("bin/busybox"));
        for (Path file : files) {
            Files.copy(file, tree.resolve(file.getFileName().toString()));
        }
        Path init = Files.writeString(tree.resolve("init"), """
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                """ + script + "\npoweroff -f\n");
        if (!init.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + init + " executable");
        }
        tool(dir, List.of("sh", "-c", "cd tree && find . | cpio -o -H newc --quiet | gzip -1 > ../initrd.gz"));
        Path serial = dir.resolve("serial.txt");
        tool(dir, List.of("qemu-system-x86_64", "-accel", "tcg", "-m", memory, "-nodefaults", "-no-reboot",
                "-kernel", kernel.toString(), "-initrd", dir.resolve("initrd.gz").toString(),
                "-append", "console=ttyS0 panic=-1 quiet", "-serial", "file:" + serial, "-display", "none"));
        return Files.readString(serial, StandardCharsets.ISO_8859_1).replace("\r", "");
    }

    /**
     * The kcore pages a script's {@link #PRINT_KCORE} printed on {@code console}, written to {@code file}; false when
     * the console holds none.
     */
    public static boolean kcorePrefix(String console, Path file) throws IOException {
        Matcher kcore = KCORE.matcher(console);
        if (!kcore.find()) {
            return false;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(
                Base64.getMimeDecoder().decode(kcore.group(1))))) {
            Files.write(file, in.readAllBytes());
        }
        return true;
    }

    private static void tool(Path dir, List<String> command) throws IOException, InterruptedException {
        Path log = dir.resolve("tool.log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end in 600 s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + ": " + Files.readString(log));
        }
    }
}
