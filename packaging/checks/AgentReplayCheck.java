import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentClient;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import dev.kcovexplorer.kcov.agent.Message;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * packaging/test: {@code java -jar AGENT_JAR agent --listen 127.0.0.1:0 --replay DUMP} started alone in an
 * empty folder, with the checkout's {@link AgentClient} (on this program's class path) collecting USB bus 1
 * until every entry of the dump has arrived; passes when what arrived is the dump's trace, in order.
 * Usage: AgentReplayCheck AGENT_JAR DUMP EMPTY_DIR
 */
public final class AgentReplayCheck {
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path dump = Path.of(args[1]).toAbsolutePath();
        long[] expected = DumpReader.read(dump).trace();

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "agent", "--listen", "127.0.0.1:0", "--replay", dump.toString())
                .directory(Path.of(args[2]).toFile()).redirectErrorStream(true);
        builder.environment().remove("CLASSPATH");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process agent = builder.start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
            String first = log.readLine();
            Matcher port = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(first));
            if (!port.find()) {
                fail("the agent's first line is not 'listening on …': " + first);
            }
            List<CoverageBatch> batches = new CopyOnWriteArrayList<>();
            try (AgentClient client = AgentClient.connect("127.0.0.1", Integer.parseInt(port.group(1)), null, 0,
                    batches::add)) {
                client.start(new CollectionPlan(TraceMode.PC, 1 << 16, new int[] {1}, 0, false, 20, true));
                // Waits for the condition itself; the deadline only keeps a broken agent from hanging the test.
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (received(batches) < expected.length) {
                    if (System.nanoTime() > deadline || !agent.isAlive()) {
                        fail("received " + received(batches) + " of " + expected.length + " entries");
                    }
                    Thread.sleep(50);
                }
                Message.Stopped stopped = client.stop();
                long[] pcs = batches.stream().flatMapToLong(b -> Arrays.stream(b.words())).toArray();
                if (!Arrays.equals(pcs, expected)) {
                    fail("the entries received differ from the dump's trace");
                }
                System.out.println("received the dump's " + expected.length + " entries in order in " + batches.size()
                        + " batches from " + client.welcome().kernel().release() + "; the agent counted "
                        + stopped.entries());
            }
        } finally {
            agent.destroy();
            agent.waitFor(20, TimeUnit.SECONDS);
            agent.destroyForcibly();
        }
    }

    private static long received(List<CoverageBatch> batches) {
        return batches.stream().mapToLong(b -> b.words().length).sum();
    }

    private static void fail(String message) {
        System.err.println("AgentReplayCheck: " + message);
        System.exit(1);
    }
}
