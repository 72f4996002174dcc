package dev.kcovexplorer.app.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.ModuleLayoutSource;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.testing.BusyboxBoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module placed on a real KASLR boot: Debian's own {@code linux-image-6.1.0-*-amd64} booted under QEMU
 * (TCG), its {@code usb-common.ko} and {@code usbcore.ko} loaded with insmod. The guest prints what the agent
 * reads ({@code /sys/module/usbcore/sections/*}, its build-id note and initstate, the first pages of
 * {@code /proc/kcore}) and where kallsyms has {@code hub_event}; the layout made from them, with the KASLR
 * offset, places the debug package's {@code usbcore.ko} so that {@code hub_event}'s address as kcov records it
 * (real address less the offset) is {@code hub_event} in {@code drivers/usb/core/hub.c}. Opt-in: the kernel
 * package and the debug package are looked for in the cache ({@link #HOW_TO_GET}).
 */
class DebianKaslrModuleTest {
    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache/kcov-explorer");
    private static final String HOW_TO_GET = "cd ~/.cache/kcov-explorer/debian-kernel && apt-get download"
            + " linux-image-6.1.0-57-amd64 && mkdir -p amd64 && dpkg-deb --fsys-tarfile linux-image-6.1.0-57-amd64_*.deb"
            + " | tar -x -C amd64 --wildcards './boot/vmlinuz-*' '*/usb-common.ko' '*/usbcore.ko', and the debug"
            + " modules as DebianDebugModulesAgainstOraclesTest says";
    private static final Pattern LINE = Pattern.compile("^kx-(\\w+): (.*)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void hubEventAsKcovRecordsItIsHubEventOnceTheOffsetIsSubtracted() throws Exception {
        Path root = CACHE.resolve("debian-kernel/amd64");
        Optional<Path> vmlinuz = find(root.resolve("boot"), "vmlinuz-");
        Optional<Path> usbcore = find(root, "usbcore.ko");
        Optional<Path> usbCommon = find(root, "usb-common.ko");
        Optional<Path> debug = find(CACHE.resolve("debian-dbg"), "usbcore.ko");
        assumeTrue(vmlinuz.isPresent() && usbcore.isPresent() && usbCommon.isPresent() && debug.isPresent(),
                "no Debian amd64 kernel with usbcore.ko and its debug module in " + CACHE + "; get them with: " + HOW_TO_GET);
        BusyboxBoot.requireTools();

        String console = BusyboxBoot.run(dir, vmlinuz.get(), "1G", List.of(usbCommon.get(), usbcore.get()), """
                insmod /usb-common.ko && insmod /usbcore.ko
                m=/sys/module/usbcore
                for s in $(ls -A $m/sections); do echo "kx-section: $s $(cat $m/sections/$s)"; done
                echo "kx-initstate: $(cat $m/initstate)"
                echo "kx-buildid: $(od -An -tx1 -v $m/notes/.note.gnu.build-id | tr -d '\\n')"
                echo "kx-hubevent: $(grep ' hub_event\\s*\\[usbcore\\]' /proc/kallsyms)"
                """ + BusyboxBoot.PRINT_KCORE);
        Path sysfs = Files.createDirectories(dir.resolve("sys-module/usbcore/sections"));
        Long hubEvent = null;
        Matcher line = LINE.matcher(console);
        while (line.find()) {
            String[] f = line.group(2).trim().split("\\s+");
            switch (line.group(1)) {
                case "section" -> Files.writeString(sysfs.resolve(f[0]), f[1] + "\n");
                case "initstate" -> Files.writeString(sysfs.resolveSibling("initstate"), f[0] + "\n");
                case "buildid" -> Files.write(Files.createDirectories(sysfs.resolveSibling("notes"))
                        .resolve(".note.gnu.build-id"), HexFormat.of().parseHex(String.join("", f)));
                case "hubevent" -> hubEvent = Long.parseUnsignedLong(f[0], 16);
                default -> { }
            }
        }
        Path kcoreFile = dir.resolve("kcore");
        assertThat(hubEvent != null && BusyboxBoot.kcorePrefix(console, kcoreFile))
                .as("the guest printed what the test needs:\n" + console).isTrue();

        ModuleLayout recorded = ModuleLayoutSource.sysfs(sysfs.getParent().getParent(), kcoreFile,
                dir.resolve("no-kallsyms")).read();
        Path layoutFile = dir.resolve("boot.layout");
        ModuleLayoutWriter.write(recorded, "the Debian guest", layoutFile);
        ModuleLayout layout = ModuleLayoutReader.read(layoutFile);
        long offset = layout.kaslrOffset();
        long pc = hubEvent - offset; // what kcov records: canonicalize_ip subtracts kaslr_offset()
        System.out.printf("Debian usbcore: .text at 0x%x, KASLR offset 0x%x, hub_event at 0x%x, as kcov records it 0x%x%n",
                layout.reportedSectionsOf("usbcore").get(".text"), offset, hubEvent, pc);
        assertThat(offset).as("a KASLR boot moves the kernel").isNotZero();
        assertThat(layout.sectionsOf("usbcore")).as("its init region was freed").doesNotContainKey(".init.text");
        try (ElfFile elf = ElfFile.open(debug.get())) {
            assertThat(layout.buildId("usbcore")).as("the debug module is the one that was loaded").contains(elf.buildId());
        }

        try (Symbolizer symbolizer = Symbolizer.openPlaced(debug.get(), layout.sectionsOf("usbcore"))) {
            List<Frame> frames = symbolizer.symbolize(new long[] {pc}).get(0);
            assertThat(frames).as("frames at 0x%x", pc).isNotEmpty();
            Frame outer = frames.get(frames.size() - 1);
            assertThat(outer.function()).isEqualTo("hub_event");
            assertThat(outer.file()).endsWith("drivers/usb/core/hub.c");
            assertThat(symbolizer.symbolize(new long[] {hubEvent}).get(0)).as("the real address, offset not subtracted")
                    .noneMatch(f -> "hub_event".equals(f.function()));
        }
    }

    private static Optional<Path> find(Path root, String prefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && Files.isRegularFile(f))
                    .sorted().findFirst();
        }
    }
}
