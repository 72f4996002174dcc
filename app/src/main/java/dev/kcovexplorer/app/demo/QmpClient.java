package dev.kcovexplorer.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A QEMU Machine Protocol client on QEMU's unix socket: commands and their replies in order, events
 * ({@code DEVICE_DELETED}) set apart to be waited for. A refused command is a {@link QmpException} carrying
 * QEMU's own description.
 */
final class QmpClient implements AutoCloseable {
    private static final long REPLY_SECONDS = 30;
    private static final JsonNode CLOSED = new ObjectMapper().createObjectNode().put("closed", true);

    private final ObjectMapper json = new ObjectMapper();
    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private long nextId = 1;

    /** QEMU refused a command; the message is QEMU's {@code desc}. */
    static final class QmpException extends IOException {
        private static final long serialVersionUID = 1L;

        QmpException(String message) {
            super(message);
        }
    }

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        this.reader = new Thread(this::readLoop, "qmp-reader");
        this.reader.setDaemon(true);
    }

    /** Connects to {@code socket}, waiting up to {@code millis} for QEMU to create it, and negotiates capabilities. */
    static QmpClient connect(Path socket, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                QmpClient client = new QmpClient(channel);
                client.reader.start();
                client.awaitGreeting();
                client.execute("qmp_capabilities", Map.of());
                return client;
            } catch (IOException e) {
                channel.close();
                if (e instanceof QmpException || System.nanoTime() > deadline) {
                    throw new IOException("no QMP at " + socket + (Files.exists(socket) ? "" : " (QEMU did not create it)")
                            + ": " + e.getMessage(), e);
                }
                Thread.sleep(50);
            }
        }
    }

    private void awaitGreeting() throws IOException, InterruptedException {
        JsonNode greeting = replies.poll(REPLY_SECONDS, TimeUnit.SECONDS);
        if (greeting == null || !greeting.has("QMP")) {
            throw new IOException("QEMU did not greet on its QMP socket");
        }
    }

    /** Runs {@code command} with {@code arguments}; returns QEMU's {@code return}, or throws with its {@code desc}. */
    synchronized JsonNode execute(String command, Map<String, ?> arguments) throws IOException, InterruptedException {
        long id = nextId++;
        ObjectNode message = json.createObjectNode().put("execute", command).put("id", id);
        if (!arguments.isEmpty()) {
            message.set("arguments", json.valueToTree(arguments));
        }
        byte[] line = (json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REPLY_SECONDS);
        JsonNode reply;
        do { // a reply to an earlier command that timed out is not this one's
            long left = deadline - System.nanoTime();
            reply = left <= 0 ? null : replies.poll(left, TimeUnit.NANOSECONDS);
            if (reply == null) {
                throw new IOException("QEMU did not answer " + command + " within " + REPLY_SECONDS + " s");
            }
        } while (reply != CLOSED && reply.path("id").asLong(-1) != id);
        if (reply == CLOSED) {
            replies.add(CLOSED);
            throw new IOException("QEMU closed its QMP socket (the VM is gone)");
        }
        if (reply.has("error")) {
            throw new QmpException(reply.path("error").path("desc").asText(reply.path("error").toString()));
        }
        return reply.path("return");
    }

    /** Waits up to {@code millis} for event {@code name} about device {@code id}; false when it did not come. */
    boolean awaitDeviceEvent(String name, String id, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            if (event == null || event == CLOSED) {
                return false;
            }
            if (name.equals(event.path("event").asText()) && id.equals(event.path("data").path("device").asText())) {
                return true;
            }
        }
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode message = json.readTree(line);
                (message.has("event") ? events : replies).add(message);
            }
        } catch (IOException e) {
            // closed: said to whoever waits
        } finally {
            replies.add(CLOSED);
            events.add(CLOSED);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
