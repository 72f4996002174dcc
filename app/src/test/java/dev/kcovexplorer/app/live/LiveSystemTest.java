package dev.kcovexplorer.app.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the live-session system test, {@code sample-data/vm/live-system-test}: a kcov kernel boots under
 * QEMU, the agent runs inside it, and hub_event coverage of a hot-plugged USB keyboard must arrive over
 * the agent protocol and symbolize into drivers/usb/core/hub.c. Skipped, with the reason, on machines
 * without the kernel or QEMU.
 */
class LiveSystemTest {
    private static final Path KERNEL = Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME",
            System.getProperty("user.home") + "/.cache"), "kcov-explorer", "kernel");

    @Test
    void hubEventCoverageArrivesLiveFromAGuestAndSymbolizesIntoHubC() throws Exception {
        Path bzImage = KERNEL.resolve("bzImage");
        Path vmlinux = KERNEL.resolve("vmlinux");
        assumeTrue(Files.isRegularFile(bzImage) && Files.isRegularFile(vmlinux),
                "no kcov kernel in " + KERNEL + ": build one with sample-data/kernel/build to run the live system test");
        assumeTrue(onPath("qemu-system-x86_64"), "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)");
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Path script = root.resolve("sample-data/vm/live-system-test");
        assumeTrue(Files.isExecutable(root.resolve("sample-data/vm/boot")), "the VM scripts of sample-data/vm are missing");

        Path output = Files.createTempFile("live-system-test", ".log");
        Process test = new ProcessBuilder(script.toString(), "--kernel", bzImage.toString(), "--vmlinux",
                vmlinux.toString(), "--classpath", System.getProperty("java.class.path"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = test.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            test.destroy(); // the script's EXIT trap stops the VM
            test.waitFor(20, TimeUnit.SECONDS);
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        System.out.print(log); // the figures: PCs received, hub.c lines, time

        assertThat(finished).as("the system test finished within 4 minutes:\n%s", log).isTrue();
        assertThat(test.exitValue()).as("exit status; output:\n%s", log).isZero();
        assertThat(log).containsPattern("PASS: [1-9][0-9]* lines of drivers/usb/core/hub.c arrived live from hub_event");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
