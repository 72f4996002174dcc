package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** QEMU's own complaints, as the real QEMU prints them, turned into what to do. */
class QemuErrorsTest {
    @Test
    void aForwardedPortInUseIsNamedFromQemusOwnMessage() throws Exception {
        Requirements.tools("qemu-system-x86_64");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Process qemu = new ProcessBuilder("qemu-system-x86_64", "-S", "-nodefaults", "-display", "none",
                    "-netdev", "user,id=n,hostfwd=tcp:127.0.0.1:" + port + "-:7070").redirectErrorStream(true).start();
            String output = new String(qemu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(qemu.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
            System.out.println("QEMU with its forwarded port taken: " + output.strip());

            String explained = QemuErrors.explain(output, port, port + 1);

            assertThat(explained).startsWith("a port for the agent is in use on this machine (" + port + " or "
                    + (port + 1) + "): QEMU cannot forward it");
        }
    }

    @Test
    void silenceExplainsNothingAndOtherFailuresKeepQemusWords() {
        assertThat(QemuErrors.explain("  \n", 1, 2)).isNull();
        assertThat(QemuErrors.explain("qemu-system-x86_64: -device foo: 'foo' is not a valid device model name\n", 1, 2))
                .isEqualTo("QEMU failed: -device foo: 'foo' is not a valid device model name");
    }
}
