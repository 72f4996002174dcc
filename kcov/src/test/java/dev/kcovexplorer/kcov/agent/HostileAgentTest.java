package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.testing.Patience;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent facing peers that lie, stall, flood and guess: every bad frame is answered with an error that
 * names what is wrong, no header makes it allocate what it declares, a handshake has one deadline, a
 * controller that stops reading is dropped without blocking anyone, a shutdown never waits on a peer, and
 * after all of it together a proper client is served. Figures (time to serve, the agent's RSS) are
 * printed; only hang guards are timed.
 */
class HostileAgentTest {
    private static final String TOKEN = "hostile-test-token-0123456789";
    /** Hang guard for one reply: far beyond anything a working agent needs. */
    private static final int REPLY_GUARD_MILLIS = 20_000;

    @TempDir
    static Path dir;
    private static long[] capture;

    private final List<AgentServer> servers = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void loadTheCapture() throws Exception {
        Path dump = dir.resolve(AgentServerTest.CAPTURE);
        try (InputStream in = HostileAgentTest.class.getResourceAsStream(AgentServerTest.CAPTURE)) {
            Files.copy(in, dump);
        }
        capture = DumpReader.read(dump).trace();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        servers.forEach(AgentServer::close);
    }

    private AgentServer serve(String token, DumpReplaySource source) throws IOException {
        AgentServer server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), token, source, log::add);
        servers.add(server);
        return server;
    }

    /** The capture repeated: more coverage than socket buffers hold, so a reader that stops is noticed. */
    private static long[] tiled(int times) {
        long[] words = new long[capture.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(capture, 0, words, i * capture.length, capture.length);
        }
        return words;
    }

    @Test
    void everyMalformedRequestOfAControllerIsAnsweredWithAnErrorNamingTheField() throws Exception {
        AgentServer server = serve(null, new DumpReplaySource("capture", TraceMode.PC, capture, 100));
        try (Raw controller = Raw.connect(server)) {
            controller.json("{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + "}");
            assertThat(controller.reply()).isInstanceOf(Message.Welcome.class);
            List<String[]> cases = malformedStartRequests();
            for (String[] request : cases) {
                controller.json(request[0]);
                Object reply = controller.reply();
                assertThat(reply).as("reply to %s", request[0]).isInstanceOf(Message.Error.class);
                assertThat(((Message.Error) reply).message()).as("reply to %s", request[0]).contains(request[1]);
            }
            controller.frame(frameOf('B', new byte[16]));
            assertThat(((Message.Error) controller.reply()).message()).contains("do not send coverage batches");

            controller.json("{\"type\":\"start\",\"usbBuses\":[1],\"periodMillis\":60000}");
            assertThat(controller.reply()).as("the connection still serves").isInstanceOf(Message.Started.class);
            System.out.println("malformed controller requests answered with an error: " + cases.size());

            controller.frame(frameOf('B', new byte[] {1, 2, 3}));
            assertThat(controller.reply()).as("broken framing").isEqualTo(new Message.Error("frame",
                    "batch frame of 3 bytes: the header alone is 16"));
            assertThat(controller.closedByAgent()).isTrue();
        }
    }

    /** Requests paired with what their error must mention. */
    private static List<String[]> malformedStartRequests() {
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"{\"type\":\"start\",\"usbBuses\":[null]}", "usbBuses[0]"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":\"abc\"}", "usbBuses"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":5}", "usbBuses"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1,1]}", "usbBuses[1]"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[-3]}", "usbBuses[0]"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1.5]}", "usbBuses[0]"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[\"1\"]}", "usbBuses[0]"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"areaWords\":5.5}", "areaWords"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"areaWords\":\"4096\"}", "areaWords"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"areaWords\":99999999999}", "areaWords"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"areaWords\":1}", "areaWords"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"mode\":\"bogus\"}", "mode"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"mode\":7}", "mode"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"commonHandle\":-1}", "commonHandle"},
                new String[] {"{\"type\":\"start\",\"commonHandle\":4294967296}", "commonHandle"},
                new String[] {"{\"type\":\"start\",\"commonHandle\":\"0x42\"}", "commonHandle"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"periodMillis\":0}", "periodMillis"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"periodMillis\":1e9}", "periodMillis"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"onDisconnect\":\"maybe\"}", "onDisconnect"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"onDisconnect\":false}", "onDisconnect"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"local\":\"yes\"}", "local"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"local\":1}", "local"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1],\"usbBuses\":[2]}", "usbBuses"},
                new String[] {"{\"type\":\"start\",\"local\":true,\"usbBuses\":[1]}", "separate sessions"},
                new String[] {"{\"type\":\"start\"}", "nothing to collect"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1]} {}", "bad control message"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":[1]", "bad control message"},
                new String[] {"{\"type\":\"launch\"}", "launch"},
                new String[] {"{\"type\":42}", "field type"},
                new String[] {"{\"usbBuses\":[1]}", "field type"},
                new String[] {"[1,2]", "JSON object"},
                new String[] {"null", "JSON object"},
                new String[] {"\"start\"", "JSON object"},
                new String[] {"", "JSON object"},
                new String[] {"not json", "bad control message"},
                new String[] {"{\"type\":\"welcome\",\"protocol\":2}", "not a request"},
                new String[] {"{\"type\":\"hello\",\"protocol\":2}", "not a request"},
                new String[] {"{\"type\":\"start\",\"usbBuses\":" + buses(300) + "}", "usbBuses"},
                new String[] {"{\"type\":\"start\",\"x\":" + "[".repeat(3000) + "]".repeat(3000) + "}", "bad control message"}));
        return cases;
    }

    private static String buses(int count) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 1; i <= count; i++) {
            list.append(i == 1 ? "" : ",").append(i);
        }
        return list.append(']').toString();
    }

    @Test
    void beforeAuthenticationAFrameLargerThan4KiBIsRefusedWithoutWaitingForIt() throws Exception {
        AgentServer server = serve(TOKEN, new DumpReplaySource("capture", TraceMode.PC, capture, 100));
        for (int declared : new int[] {64 << 20, 4097, Integer.MAX_VALUE, -1}) {
            try (Raw raw = Raw.connect(server)) {
                raw.header(declared, 'J'); // and nothing of the payload
                Object reply = raw.reply();
                assertThat(reply).as("reply to a header of %d bytes", declared).isInstanceOf(Message.Error.class);
                assertThat(((Message.Error) reply).message()).contains("outside 1..4096 before authentication");
                assertThat(raw.closedByAgent()).isTrue();
            }
        }
    }

    @Test
    void aHandshakeTricklingInByteByByteIsCutAtItsDeadline() throws Exception {
        AgentServer server = serve(TOKEN, new DumpReplaySource("capture", TraceMode.PC, capture, 100));
        byte[] hello = frameOf('J', ("{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION
                + ",\"client\":\"" + "x".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8));
        long started = System.nanoTime();
        try (Raw raw = Raw.connect(server)) {
            int sent = 0;
            // One byte every 300 ms: each read of the agent gets something well within any per-read timeout,
            // and the whole hello would take over a minute.
            while (sent < hello.length && !raw.closedWithin(300)) {
                raw.out.write(hello[sent++]);
                raw.out.flush();
                assertThat(System.nanoTime() - started).as("hang guard")
                        .isLessThan(TimeUnit.MILLISECONDS.toNanos(60_000));
            }
            assertThat(sent).as("bytes of the hello sent before the agent hung up").isLessThan(hello.length);
            System.out.printf("trickled handshake cut after %d ms (%d of %d bytes)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), sent, hello.length);
        }
        AgentServerTest.await(() -> log.stream().anyMatch(line -> line.contains("no complete handshake within 10 s")));
    }

    @Test
    void aControllerJustClosedNeverRefusesItsOwnSuccessor() throws Exception {
        AgentServer server = serve(null, new DumpReplaySource("capture", TraceMode.PC, capture, 100));
        int cycles = 200;
        for (int i = 0; i < cycles; i++) {
            try (AgentClient client = AgentClient.connect("127.0.0.1", server.address().getPort(), null, 0,
                    batch -> { })) {
                assertThat(client.welcome()).isNotNull();
            }
        }
        System.out.println("hello/close cycles served: " + cycles + " of " + cycles);
    }

    @Test
    void aControllerThatStopsReadingIsDroppedAndBlocksNoOne() throws Exception {
        AgentServer server = serve(null, new DumpReplaySource("tiled", TraceMode.PC, tiled(8), 100_000));
        Raw stalled = Raw.connectWithTinyWindow(server);
        closing.add(stalled);
        stalled.json("{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + "}");
        assertThat(stalled.reply()).isInstanceOf(Message.Welcome.class);
        stalled.json("{\"type\":\"start\",\"usbBuses\":[1],\"periodMillis\":10,\"onDisconnect\":\"keep\"}");
        // ... and never reads again.

        long started = System.nanoTime();
        List<String> refusals = new ArrayList<>();
        AgentClient next = null;
        while (next == null) {
            assertThat(System.nanoTime() - started).as("hang guard")
                    .isLessThan(TimeUnit.SECONDS.toNanos(Patience.SECONDS));
            try {
                next = AgentClient.connect("127.0.0.1", server.address().getPort(), null, 0, batch -> { });
            } catch (AgentException refused) {
                refusals.add(refused.getMessage());
            }
        }
        closing.add(next);
        long servedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(next.welcome().session()).as("the session the stalled controller started").isNotNull();
        assertThat(refusals).allMatch(message -> message.contains("another controller is connected"));
        Message.Stopped stopped = next.stop();
        assertThat(stopped.entries()).isEqualTo(8L * capture.length);
        AgentServerTest.await(() -> log.stream().anyMatch(line -> line.contains("dropped: the peer stopped reading")));
        System.out.printf("controller that stopped reading dropped; the next one served after %d ms and %d refusals%n",
                servedMillis, refusals.size());
    }

    @Test
    void wrongTokensFromOnePeerAreSlowedDown() throws Exception {
        AgentServer server = serve(TOKEN, new DumpReplaySource("capture", TraceMode.PC, capture, 100));
        int port = server.address().getPort();
        for (int i = 0; i <= FailedAttempts.FREE_ATTEMPTS; i++) {
            assertThat(refusal(port, "wrong-token-" + i)).contains("invalid token");
        }
        String paused = refusal(port, TOKEN);
        assertThat(paused).as("even the right token waits").contains("too many failed attempts from 127.0.0.1")
                .contains("try again in 1 s");
        long started = System.nanoTime();
        AgentClient client = null;
        while (client == null) {
            assertThat(System.nanoTime() - started).as("hang guard")
                    .isLessThan(TimeUnit.SECONDS.toNanos(Patience.SECONDS));
            try {
                client = AgentClient.connect("127.0.0.1", port, TOKEN, 0, batch -> { });
            } catch (AgentException refused) {
                assertThat(refused.getMessage()).contains("too many failed attempts");
            }
        }
        closing.add(client);
        System.out.printf("after %d wrong tokens the right one got in after %d ms%n", FailedAttempts.FREE_ATTEMPTS + 1,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static String refusal(int port, String token) throws IOException {
        try (AgentClient client = AgentClient.connect("127.0.0.1", port, token, 0, batch -> { })) {
            throw new AssertionError("admitted with token " + token);
        } catch (AgentException refused) {
            return refused.getMessage();
        }
    }

    @Test
    void theTokenNeverCrossesTheWire() throws Exception {
        AgentServer server = serve(TOKEN, new DumpReplaySource("capture", TraceMode.PC, capture, 100));
        try (Relay relay = new Relay(server.address().getPort())) {
            try (AgentClient client = AgentClient.connect("127.0.0.1", relay.port(), TOKEN, 0, batch -> { })) {
                assertThat(client.welcome()).isNotNull();
            }
            String wire = relay.seen();
            assertThat(wire).contains("\"type\":\"challenge\"").contains("\"type\":\"auth\"")
                    .contains("\"type\":\"welcome\"").doesNotContain(TOKEN);
        }
    }

    /**
     * Everything at once against an agent process with a token: malformed frames before and after
     * authentication, a crowd of idle connections, tricklers, oversized declarations, and a controller
     * that stops reading; then a proper client connects, collects and stops, and SIGTERM ends it all.
     */
    @Test
    void aProperClientIsServedAfterTheOnslaught() throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, TOKEN + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Path dump = dir.resolve("capture.kcov");
        AreaDumpWriter.write(dump, TraceMode.PC, capture, capture.length, false);
        AgentProcess agent = AgentProcess.start("--listen", "127.0.0.1:0", "--token-file", tokenFile.toString(),
                "--replay", dump.toString(), "--replay-per-drain", "5000");
        closing.add(agent);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", agent.port);

        int answered = malformedBeforeAuthentication(address, 600) + malformedAfterAuthentication(address, 400);
        assertThat(answered).as("malformed frames answered with an error").isEqualTo(1000);

        List<Raw> crowd = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            crowd.add(Raw.connect(address));
        }
        Trickler tricklers = new Trickler(crowd);
        closing.add(tricklers);
        List<Raw> idle = new ArrayList<>();
        ExecutorService openers = Executors.newFixedThreadPool(20);
        try {
            List<Future<Raw>> opening = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                opening.add(openers.submit(() -> Raw.connect(address)));
            }
            for (Future<Raw> raw : opening) {
                idle.add(raw.get());
            }
        } finally {
            openers.shutdown();
        }
        idle.forEach(closing::add);
        int oversizedRefused = 0;
        for (int i = 0; i < 16; i++) {
            Raw raw = Raw.connect(address);
            closing.add(raw);
            raw.header(64 << 20, 'J');
            if (raw.reply() instanceof Message.Error error && error.message().contains("before authentication")) {
                oversizedRefused++;
            }
        }
        assertThat(oversizedRefused).as("oversized declarations refused").isEqualTo(16);

        long started = System.nanoTime();
        AgentServerTest.Received received = new AgentServerTest.Received();
        try (AgentClient client = AgentClient.connect("127.0.0.1", agent.port, TOKEN, 0, received)) {
            long servedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            client.start(new CollectionPlan(TraceMode.PC, 1 << 16, new int[] {1}, 0, false, 20, true));
            AgentServerTest.await(() -> !received.batches.isEmpty());
            long firstBatchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Message.Stopped stopped = client.stop();
            assertThat(received.pcs()).isEqualTo(capture);
            assertThat(stopped.entries()).isEqualTo(capture.length);
            System.out.printf("after 1000 malformed frames, 200 concurrent, 50 trickling and 16 oversized connections:"
                    + " proper client welcomed in %d ms, first batch after %d ms; agent RSS %d MiB, peak %d MiB%n",
                    servedMillis, firstBatchMillis, agent.rssKib("VmRSS") >> 10, agent.rssKib("VmHWM") >> 10);
        }

        // A controller that stops reading while collection runs must not hold up the shutdown.
        Raw stalled = Raw.connectWithTinyWindow(address);
        closing.add(stalled);
        stalled.json("{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + "}");
        Message.Challenge challenge = (Message.Challenge) stalled.reply();
        stalled.json("{\"type\":\"auth\",\"proof\":\"" + TokenCheck.proof(TOKEN, challenge.nonce()) + "\"}");
        assertThat(stalled.reply()).isInstanceOf(Message.Welcome.class);
        stalled.json("{\"type\":\"start\",\"usbBuses\":[1],\"periodMillis\":10}");
        AgentServerTest.await(() -> available(stalled) > 2048); // batches arrive and are not read

        long termAt = System.nanoTime();
        agent.process.destroy();
        assertThat(agent.process.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).as("hang guard: the agent exited")
                .isTrue();
        System.out.printf("SIGTERM with a controller that stopped reading, to exit: %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termAt));
        String output = agent.output();
        assertThat(output).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Error:");
        assertThat(output).contains("stopped remote pc collection");
    }

    private static int available(Raw raw) {
        try {
            return raw.socket.getInputStream().available();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Connections that each send one malformed frame before authenticating; returns how many got an error. */
    private static int malformedBeforeAuthentication(InetSocketAddress address, int count) throws Exception {
        Random random = new Random(19);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(malformedHandshakeFrame(random, i));
        }
        AtomicInteger answered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (byte[] frame : frames) {
                sends.add(pool.submit(() -> {
                    try (Raw raw = Raw.connect(address)) {
                        if (frame[4] == 'A') { // a hello first, then something that is not auth
                            raw.json("{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + "}");
                            assertThat(raw.reply()).isInstanceOf(Message.Challenge.class);
                            raw.frame(java.util.Arrays.copyOfRange(frame, 5, frame.length));
                        } else {
                            raw.frame(frame);
                        }
                        if (raw.reply() instanceof Message.Error error && error.request().equals("hello")
                                && raw.closedByAgent()) {
                            answered.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        } finally {
            pool.shutdown();
        }
        return answered.get();
    }

    /** One complete frame a peer might send instead of a proper hello. */
    private static byte[] malformedHandshakeFrame(Random random, int i) {
        String[] hellos = {
            "{\"type\":\"hello\",\"protocol\":1}",
            "{\"type\":\"hello\",\"protocol\":2.5}",
            "{\"type\":\"hello\",\"protocol\":\"2\"}",
            "{\"type\":\"hello\",\"protocol\":null}",
            "{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + ",\"resumeAfter\":-5}",
            "{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + ",\"resumeAfter\":1e99}",
            "{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + ",\"protocol\":" + AgentProtocol.VERSION + "}",
            "{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + ",\"client\":[1]}",
            "{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + ",\"client\":\"" + "c".repeat(300) + "\"}",
            "{\"type\":\"hello\"",
            "{\"type\":\"auth\",\"proof\":\"00\"}",
            "{\"type\":\"start\",\"usbBuses\":[null]}",
            "{\"type\":\"welcome\"}",
            "{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + "}{",
            "{\"protocol\":" + AgentProtocol.VERSION + "}",
            "[\"hello\"]",
            "null",
            "{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + ",\"x\":" + "[".repeat(1500) + "]".repeat(1500) + "}",
        };
        return switch (i % 8) {
            case 0 -> frameOf('J', hellos[random.nextInt(hellos.length)].getBytes(StandardCharsets.UTF_8));
            case 1 -> frameOf('J', randomBytes(random, 1 + random.nextInt(200)));
            case 2 -> frameOf((byte) ('C' + random.nextInt(6)), randomBytes(random, random.nextInt(100)));
            case 3 -> frameOf('B', randomBytes(random, random.nextInt(100)));
            case 4 -> header(random.nextBoolean() ? 0 : 4097 + random.nextInt(Integer.MAX_VALUE - 4097), 'J');
            case 5 -> { // hello, then something other than auth
                byte[] other = frameOf('J', ("{\"type\":\"" + (random.nextBoolean() ? "start" : "hello")
                        + "\",\"protocol\":" + AgentProtocol.VERSION + "}").getBytes(StandardCharsets.UTF_8));
                byte[] marked = new byte[other.length + 5];
                marked[4] = 'A';
                System.arraycopy(other, 0, marked, 5, other.length);
                yield marked;
            }
            case 6 -> frameOf('J', mutated(random, "{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + "}"));
            default -> frameOf('J', ("{\"type\":\"hello\",\"protocol\":"
                    + (AgentProtocol.VERSION + 1 + random.nextInt(1000)) + "}").getBytes(StandardCharsets.UTF_8));
        };
    }

    /** A valid hello with one byte broken so that it cannot be valid any more: the closing brace goes. */
    private static byte[] mutated(Random random, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int cut = 1 + random.nextInt(bytes.length - 1);
        return java.util.Arrays.copyOf(bytes, cut);
    }

    /** One authenticated controller sending {@code count} malformed requests; returns how many got an error. */
    private static int malformedAfterAuthentication(InetSocketAddress address, int count) throws Exception {
        Random random = new Random(23);
        List<String[]> known = malformedStartRequests();
        String[][] badValues = {
            {"mode", "\"edge\"", "3", "[]", "{}", "true"},
            {"areaWords", "-1", "0", "5.5", "\"8\"", "[8]", "4294967296", "true"},
            {"usbBuses", "[0]", "[null]", "[-1]", "\"1\"", "{}", "[[1]]", "[1,1]", "true"},
            {"commonHandle", "-1", "4294967296", "\"0x42\"", "1.5", "[1]"},
            {"local", "\"true\"", "1", "[]"},
            {"periodMillis", "0", "9", "60001", "1.5", "\"200\""},
            {"onDisconnect", "\"never\"", "0", "[]", "true"},
        };
        int answered = 0;
        try (Raw controller = Raw.connect(address)) {
            controller.json("{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + ",\"client\":\"hostile\"}");
            Message.Challenge challenge = (Message.Challenge) controller.reply();
            controller.json("{\"type\":\"auth\",\"proof\":\"" + TokenCheck.proof(TOKEN, challenge.nonce()) + "\"}");
            assertThat(controller.reply()).isInstanceOf(Message.Welcome.class);
            for (int i = 0; i < count; i++) {
                String request;
                if (i < known.size()) {
                    request = known.get(i)[0];
                } else if (i % 3 == 0) {
                    request = new String(mutated(random, "{\"type\":\"start\",\"usbBuses\":[1]}"), StandardCharsets.UTF_8);
                } else {
                    String[] field = badValues[random.nextInt(badValues.length)];
                    String value = field[1 + random.nextInt(field.length - 1)];
                    String others = field[0].equals("usbBuses") ? "" : ",\"usbBuses\":[1]";
                    request = "{\"type\":\"start\"" + others + ",\"" + field[0] + "\":" + value + "}";
                }
                controller.json(request);
                if (controller.reply() instanceof Message.Error) {
                    answered++;
                }
            }
        }
        return answered;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] frameOf(char kind, byte[] payload) {
        return frameOf((byte) kind, payload);
    }

    static byte[] frameOf(byte kind, byte[] payload) {
        byte[] frame = new byte[5 + payload.length];
        java.nio.ByteBuffer.wrap(frame).putInt(1 + payload.length).put(kind).put(payload);
        return frame;
    }

    static byte[] header(int declared, char kind) {
        return java.nio.ByteBuffer.allocate(5).putInt(declared).put((byte) kind).array();
    }

    /** A connection speaking frames by hand. */
    static final class Raw implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final FrameCodec codec;

        private Raw(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.codec = new FrameCodec(socket.getInputStream(), null);
            socket.setSoTimeout(REPLY_GUARD_MILLIS);
        }

        static Raw connect(AgentServer server) throws IOException {
            return connect(server.address());
        }

        static Raw connect(InetSocketAddress address) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), REPLY_GUARD_MILLIS);
            return new Raw(socket);
        }

        /** A connection whose receive window stays tiny, so the agent's writes back up at once. */
        static Raw connectWithTinyWindow(AgentServer server) throws IOException {
            return connectWithTinyWindow(server.address());
        }

        static Raw connectWithTinyWindow(InetSocketAddress address) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()), REPLY_GUARD_MILLIS);
            return new Raw(socket);
        }

        void json(String text) throws IOException {
            frame(frameOf('J', text.getBytes(StandardCharsets.UTF_8)));
        }

        void frame(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void header(int declared, char kind) throws IOException {
            frame(HostileAgentTest.header(declared, kind));
        }

        /** The agent's next frame; a read timeout here is a hang and fails the test. */
        Object reply() throws IOException {
            try {
                return codec.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no reply within " + REPLY_GUARD_MILLIS + " ms", e);
            }
        }

        /** Whether the agent closed the connection (end of stream or reset) rather than going silent. */
        boolean closedByAgent() throws IOException {
            try {
                return socket.getInputStream().read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }

        /** Waits up to {@code millis} for the agent to close the connection. */
        boolean closedWithin(int millis) throws IOException {
            socket.setSoTimeout(millis);
            try {
                return closedByAgent();
            } finally {
                socket.setSoTimeout(REPLY_GUARD_MILLIS);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Sends one byte of a hello to each connection every 200 ms, as long as it stays open. */
    static final class Trickler implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        private final List<Raw> connections;
        final AtomicInteger cut = new AtomicInteger();

        Trickler(List<Raw> connections) {
            this.connections = connections;
            byte[] hello = frameOf('J', ("{\"type\":\"hello\",\"protocol\":" + AgentProtocol.VERSION + ",\"client\":\""
                    + "t".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8));
            int[] position = new int[connections.size()];
            clock.scheduleWithFixedDelay(() -> {
                for (int i = 0; i < connections.size(); i++) {
                    if (position[i] >= 0 && position[i] < hello.length) {
                        try {
                            connections.get(i).out.write(hello[position[i]++]);
                        } catch (IOException closedByTheAgent) {
                            position[i] = -1;
                            cut.incrementAndGet();
                        }
                    }
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws Exception {
            clock.shutdownNow();
            for (Raw raw : connections) {
                raw.close();
            }
        }
    }

    /** A TCP relay that records what passes in both directions. */
    static final class Relay implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

        Relay(int target) throws IOException {
            Thread accept = new Thread(() -> {
                try {
                    Socket client = listener.accept();
                    Socket agent = new Socket("127.0.0.1", target);
                    sockets.add(client);
                    sockets.add(agent);
                    pump(client, agent);
                    pump(agent, client);
                } catch (IOException closed) {
                    // the test is over
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void pump(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        synchronized (seen) {
                            seen.write(buffer, 0, n);
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (IOException closed) {
                    // one side went away
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        String seen() {
            synchronized (seen) {
                return seen.toString(StandardCharsets.ISO_8859_1);
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The agent as its own process, its output collected as it comes. */
    static final class AgentProcess implements AutoCloseable {
        final Process process;
        final int port;
        private final StringBuffer output = new StringBuffer();
        private final Thread drain;

        private AgentProcess(Process process, int port, String first, BufferedReader rest) {
            this.process = process;
            this.port = port;
            output.append(first).append('\n');
            drain = new Thread(() -> {
                try {
                    for (String line = rest.readLine(); line != null; line = rest.readLine()) {
                        output.append(line).append('\n');
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            });
            drain.setDaemon(true);
            drain.start();
        }

        static AgentProcess start(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AgentMain.class.getName()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String listening = log.readLine();
            Matcher port = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(String.valueOf(listening));
            if (!port.find()) {
                process.destroyForcibly();
                throw new AssertionError("the agent did not start: " + listening);
            }
            return new AgentProcess(process, Integer.parseInt(port.group(1)), listening, log);
        }

        /** A {@code /proc/PID/status} figure in KiB (VmRSS now, VmHWM the peak). */
        long rssKib(String field) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            throw new AssertionError(field + " not in /proc/" + process.pid() + "/status");
        }

        String output() throws InterruptedException {
            drain.join(10_000);
            return output.toString();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
