package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.testing.Patience;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent as a process, as a target runs it: SIGTERM stops collection, says goodbye, and exits. */
class AgentProcessTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsCollectionAndSaysGoodbyeBeforeExiting() throws Exception {
        Path capture = dir.resolve(AgentServerTest.CAPTURE);
        try (InputStream in = AgentProcessTest.class.getResourceAsStream(AgentServerTest.CAPTURE)) {
            Files.copy(in, capture);
        }
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--listen", "127.0.0.1:0", "--replay", capture.toString(), "--replay-per-drain", "100")
                .redirectErrorStream(true).start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
            String listening = log.readLine();
            Matcher port = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(listening));
            assertThat(port.find()).as("first line: %s", listening).isTrue();
            AgentServerTest.Received received = new AgentServerTest.Received();
            AgentClient client = AgentClient.connect("127.0.0.1", Integer.parseInt(port.group(1)), null, 0, received);
            client.start(new CollectionPlan(TraceMode.PC, 1 << 16, new int[] {1}, 0, false, 20, true));
            AgentServerTest.await(() -> received.batches.size() >= 3);

            agent.toHandle().destroy(); // SIGTERM, leaving our end of its output open

            assertThat(agent.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).as("the agent exited").isTrue();
            AgentServerTest.await(() -> received.disconnected);
            List<Message> notices = received.notices;
            assertThat(notices).hasSize(2);
            assertThat(notices.get(0)).isInstanceOf(Message.Stopped.class);
            assertThat(notices.get(1)).isInstanceOf(Message.Bye.class);
            assertThat(((Message.Stopped) notices.get(0)).entries()).isEqualTo(received.pcs().length);
            String rest = readRest(log);
            assertThat(rest).contains("agent: stopped remote pc collection for USB bus 1");
            client.close();
        } finally {
            agent.destroyForcibly();
        }
    }

    @Test
    void eachListenAddressServesASessionOfItsOwnAndSigtermEndsThemAll() throws Exception {
        Path capture = dir.resolve(AgentServerTest.CAPTURE);
        try (InputStream in = AgentProcessTest.class.getResourceAsStream(AgentServerTest.CAPTURE)) {
            Files.copy(in, capture);
        }
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0", "--replay", capture.toString(),
                "--replay-per-drain", "100")
                .redirectErrorStream(true).start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
            int[] ports = new int[2];
            for (int i = 0; i < 2; i++) {
                String listening = log.readLine();
                Matcher port = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(listening));
                assertThat(port.find()).as("line %d: %s", i + 1, listening).isTrue();
                ports[i] = Integer.parseInt(port.group(1));
            }
            assertThat(ports[0]).isNotEqualTo(ports[1]);
            AgentServerTest.Received usb = new AgentServerTest.Received();
            AgentServerTest.Received common = new AgentServerTest.Received();
            // Two controllers at once: one per address, each with its own session.
            AgentClient first = AgentClient.connect("127.0.0.1", ports[0], null, 0, usb);
            AgentClient second = AgentClient.connect("127.0.0.1", ports[1], null, 0, common);
            first.start(new CollectionPlan(TraceMode.PC, 1 << 16, new int[] {1}, 0, false, 20, true));
            second.start(new CollectionPlan(TraceMode.PC, 1 << 16, new int[0], 0x42, false, 20, true));
            AgentServerTest.await(() -> usb.batches.size() >= 3 && common.batches.size() >= 3);

            agent.toHandle().destroy();

            assertThat(agent.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).as("the agent exited").isTrue();
            AgentServerTest.await(() -> usb.disconnected && common.disconnected);
            for (AgentServerTest.Received received : List.of(usb, common)) {
                assertThat(received.notices.get(0)).isInstanceOf(Message.Stopped.class);
                assertThat(received.notices.get(1)).isInstanceOf(Message.Bye.class);
                assertThat(received.sequences()[0]).as("each session numbers its own batches").isEqualTo(1);
            }
            String rest = readRest(log);
            assertThat(rest).contains("stopped remote pc collection for USB bus 1")
                    .contains("stopped remote pc collection for common 0x42");
            first.close();
            second.close();
        } finally {
            agent.destroyForcibly();
        }
    }

    private static String readRest(BufferedReader log) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
