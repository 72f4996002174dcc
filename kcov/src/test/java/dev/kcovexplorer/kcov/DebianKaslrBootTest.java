package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.testing.Requirements;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real KASLR kernel: Debian's own {@code linux-image-6.1.0-*-cloud-amd64} booted under QEMU (TCG) with a
 * busybox initramfs that prints {@code _text} from {@code /proc/kallsyms} and the first pages of
 * {@code /proc/kcore}. The offset read from that kcore's VMCOREINFO note is the distance the kernel's
 * {@code _text} moved from its link address, as kcov subtracts it. Opt-in: the kernel image is looked for in
 * {@code ~/.cache/kcov-explorer/debian-kernel} (see {@link #HOW_TO_GET}).
 */
class DebianKaslrBootTest {
    private static final Path DIR = Path.of(System.getProperty("user.home"), ".cache/kcov-explorer/debian-kernel");
    private static final String HOW_TO_GET = "cd ~/.cache/kcov-explorer/debian-kernel && apt-get download"
            + " linux-image-6.1.0-57-cloud-amd64 && dpkg-deb --fsys-tarfile linux-image-*.deb | tar -x --wildcards"
            + " './boot/vmlinuz-*'";
    private static final Pattern TEXT = Pattern.compile("kx-text: ([0-9a-f]{16}) T _text");
    private static final Pattern KCORE = Pattern.compile("kx-kcore-begin\\s+(.*?)\\s+kx-kcore-end", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theOffsetInKcoreIsHowFarTextMoved() throws Exception {
        Optional<Path> kernel = vmlinuz();
        assumeTrue(kernel.isPresent(), "no Debian kernel image in " + DIR + "; get it with: " + HOW_TO_GET);
        Requirements.tools("qemu-system-x86_64", "cpio", "gzip");
        Path busybox = Path.of("/bin/busybox");
        Requirements.require(Files.isExecutable(busybox), "no static busybox: apt-get install busybox-static");

        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.createDirectories(tree.resolve("bin"));
        Files.createDirectories(tree.resolve("proc"));
        Files.copy(busybox, tree.resolve("bin/busybox"));
        Path init = Files.writeString(tree.resolve("init"), """
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                mount -t proc proc /proc
                echo "kx-text: $(grep ' _text$' /proc/kallsyms)"
                echo kx-kcore-begin; dd if=/proc/kcore bs=4096 count=4 2>/dev/null | gzip | base64; echo kx-kcore-end
                poweroff -f
                """);
        init.toFile().setExecutable(true);
        run(List.of("sh", "-c", "cd tree && find . | cpio -o -H newc --quiet | gzip -1 > ../initrd.gz"));
        Path serial = dir.resolve("serial.txt");
        run(List.of("qemu-system-x86_64", "-accel", "tcg", "-m", "512M", "-nodefaults", "-no-reboot",
                "-kernel", kernel.get().toString(), "-initrd", dir.resolve("initrd.gz").toString(),
                "-append", "console=ttyS0 panic=-1 quiet", "-serial", "file:" + serial, "-display", "none"));

        String console = Files.readString(serial, StandardCharsets.ISO_8859_1).replace("\r", "");
        Matcher text = TEXT.matcher(console);
        Matcher kcore = KCORE.matcher(console);
        assertThat(text.find() && kcore.find()).as("the guest printed _text and kcore:\n" + console).isTrue();
        Path prefix = dir.resolve("kcore");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(
                Base64.getMimeDecoder().decode(kcore.group(1))))) {
            Files.write(prefix, in.readAllBytes());
        }
        long moved = Long.parseUnsignedLong(text.group(1), 16) - KaslrOffset.DEFAULT_TEXT;
        long offset = KaslrOffset.read(prefix, dir.resolve("no-kallsyms"));
        System.out.printf("Debian %s: _text at 0x%s, kcore's KERNELOFFSET 0x%x%n", kernel.get().getFileName(),
                text.group(1), offset);
        assertThat(offset).isEqualTo(moved);
    }

    private static Optional<Path> vmlinuz() throws IOException {
        Path boot = DIR.resolve("boot");
        if (!Files.isDirectory(boot)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(boot)) {
            return files.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).sorted().reduce((a, b) -> b);
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile()).start();
        assertThat(process.waitFor(600, TimeUnit.SECONDS)).as(String.join(" ", command) + " ends").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + Files.readString(dir.resolve("tool.log")))
                .isZero();
    }
}
