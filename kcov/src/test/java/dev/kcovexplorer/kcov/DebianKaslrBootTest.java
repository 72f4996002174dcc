package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.testing.BusyboxBoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

    @TempDir
    Path dir;

    @Test
    void theOffsetInKcoreIsHowFarTextMoved() throws Exception {
        Optional<Path> kernel = vmlinuz();
        assumeTrue(kernel.isPresent(), "no Debian kernel image in " + DIR + "; get it with: " + HOW_TO_GET);
        BusyboxBoot.requireTools();

        String console = BusyboxBoot.run(dir, kernel.get(), "512M", List.of(), """
                echo "kx-text: $(grep ' _text$' /proc/kallsyms)"
                """ + BusyboxBoot.PRINT_KCORE);
        Matcher text = TEXT.matcher(console);
        Path prefix = dir.resolve("kcore");
        assertThat(text.find() && BusyboxBoot.kcorePrefix(console, prefix)).as("the guest printed _text and kcore:\n"
                + console).isTrue();
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
}
