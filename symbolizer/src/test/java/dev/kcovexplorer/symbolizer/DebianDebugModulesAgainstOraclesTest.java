package dev.kcovexplorer.symbolizer;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Modules a distribution ships, not ones we compiled: {@code usbcore.ko} and {@code vhost.ko} of Debian's
 * {@code linux-image-6.1.0-*-amd64-dbg} (unstripped, DWARF 5 from GCC 12, built with Debian's own flags
 * and config), placed at chosen module addresses, against the same file linked by {@code ld} there:
 * llvm-symbolizer's inline chain at every instruction is ours. Opt-in, as the package is 860 MB: the
 * modules are looked for below {@code KCOV_EXPLORER_DEBIAN_DBG} (default
 * {@code ~/.cache/kcov-explorer/debian-dbg}), where {@link #HOW_TO_GET} puts them.
 */
class DebianDebugModulesAgainstOraclesTest {
    private static final long BASE = 0xffffffffc0800000L;
    private static final long STUBS = 0xffffffffc2000000L;
    private static final String HOW_TO_GET = "cd ~/.cache/kcov-explorer/debian-dbg && apt-get download"
            + " linux-image-6.1.0-57-amd64-dbg && dpkg-deb --fsys-tarfile linux-image-*-dbg_*.deb | tar -x --wildcards"
            + " '*/drivers/usb/core/usbcore.ko' '*/drivers/vhost/vhost.ko'";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"drivers/usb/core/usbcore.ko", "drivers/vhost/vhost.ko"})
    void chainsAtEveryInstructionEqualTheLinkedModule(String relative) throws Exception {
        Path root = Path.of(System.getenv().getOrDefault("KCOV_EXPLORER_DEBIAN_DBG",
                System.getProperty("user.home") + "/.cache/kcov-explorer/debian-dbg"));
        Optional<Path> module = find(root, relative);
        assumeTrue(module.isPresent(), "no Debian debug module " + relative + " below " + root + "; get it with: "
                + HOW_TO_GET);
        for (String tool : List.of("ld", "nm", "readelf", "objdump", "llvm-symbolizer")) {
            NativeTools.assume(tool);
        }
        ModuleFixture fixture = ModuleFixture.of(module.get(), dir);
        Map<String, Long> layout = fixture.textLayout(BASE);
        assertThat(layout).as("text sections of " + relative).containsKey(".text").hasSizeGreaterThan(1);
        Path linked = fixture.link("linked", layout, STUBS);

        long[] instructions = Oracles.instructionAddresses(linked);
        List<List<Frame>> ours;
        try (Symbolizer s = Symbolizer.openPlaced(fixture.object(), layout)) {
            ours = s.symbolize(instructions);
        }
        Agreement a = Agreement.of(instructions, ours, Oracles.llvmSymbolizer(linked, instructions));
        System.out.println("Debian " + module.get().getFileName() + " (" + layout.size() + " text sections) every"
                + " instruction: " + a);
        a.differences().stream().limit(5).forEach(System.out::println);
        a.functionDifferences().stream().limit(5).forEach(System.out::println);
        assertThat(instructions.length).as("instructions objdump lists").isGreaterThan(1000);
        assertThat(a.chainRate()).as(a.toString()).isEqualTo(1.0);
        assertThat(a.functionRate()).as(a.toString()).isEqualTo(1.0);
    }

    /** The module below {@code root/usr/lib/debug/lib/modules/RELEASE/kernel/}, the newest release first. */
    private static Optional<Path> find(Path root, String relative) throws IOException {
        Path releases = root.resolve("usr/lib/debug/lib/modules");
        if (!Files.isDirectory(releases)) {
            return Optional.empty();
        }
        try (Stream<Path> all = Files.list(releases)) {
            return all.sorted(java.util.Comparator.reverseOrder()).map(r -> r.resolve("kernel").resolve(relative))
                    .filter(Files::isRegularFile).findFirst();
        }
    }
}
