package dev.kcovexplorer.app.live;

import static org.assertj.core.api.Assertions.assertThat;

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
    @Test
    void hubEventCoverageArrivesLiveFromAGuestAndSymbolizesIntoHubC() throws Exception {
        DemoKernel.assumeBootable();
        Path bzImage = DemoKernel.bzImage();
        Path vmlinux = DemoKernel.vmlinux();
        Path script = DemoKernel.ROOT.resolve("sample-data/vm/live-system-test");

        Path output = Files.createTempFile("live-system-test", ".log");
        Process test = new ProcessBuilder(script.toString(), "--kernel", bzImage.toString(), "--vmlinux",
                vmlinux.toString(), "--classpath", System.getProperty("java.class.path"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        // The script fails each of its waits itself (the boot, the agent listening, recording: 5 minutes each on a
        // slow host); this bound only backs them up.
        boolean finished = test.waitFor(25, TimeUnit.MINUTES);
        if (!finished) {
            test.destroy(); // the script's EXIT trap stops the VM
            test.waitFor(20, TimeUnit.SECONDS);
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        System.out.print(log); // the figures: PCs received, hub.c lines, time

        assertThat(finished).as("the system test finished within 25 minutes:\n%s", log).isTrue();
        assertThat(test.exitValue()).as("exit status; output:\n%s", log).isZero();
        assertThat(log).containsPattern("PASS: [1-9][0-9]* lines of drivers/usb/core/hub.c arrived live from hub_event");
    }
}
