package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.testing.Patience;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against an agent scripted frame by frame: answers a real agent gives, in an order it can give them (one
 * answer per request, in the order the requests came, with notices between).
 */
class AgentClientTest {
    /**
     * How long the client waits for an answer where a test makes it give up: the script answers only after the client's
     * next request, so the wait ends by its limit whatever the machine's load, and a short one keeps the test short.
     * The request that must be answered then waits the client's usual limit ({@link #ANSWERED_MILLIS}): 200 ms for the
     * scripted agent's answer and two threads' wake-ups is a budget a loaded machine can miss.
     */
    private static final long GIVE_UP_MILLIS = 200;
    private static final long ANSWERED_MILLIS = 60_000;

    private ServerSocket listening;
    private final BlockingQueue<Message> notices = new LinkedBlockingQueue<>();
    private final AgentClient.Listener listener = new AgentClient.Listener() {
        @Override
        public void onBatch(CoverageBatch batch) {
        }

        @Override
        public void onNotice(Message message) {
            notices.add(message);
        }
    };

    @BeforeEach
    void listen() throws IOException {
        listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stopListening() throws IOException {
        listening.close();
    }

    /**
     * The answer to a reset the client gave up waiting for (a minute) comes just before the answer to the next reset:
     * it is not taken for the next one's, whose point is later (taken, the batches between the two points, made before
     * the second reset, counted again), and it reaches the listener, which learns which reset it confirms.
     */
    @Test
    void aLateAnswerToAnEarlierResetIsNotTakenForTheNextOnes() throws Exception {
        CompletableFuture<Void> agent = scriptedAgent(codec -> {
            Message.Reset reset = (Message.Reset) codec.read();
            codec.write(new Message.ResetDone(5, reset.reset() - 1));
            codec.write(new Message.ResetDone(9, reset.reset()));
        });
        try (AgentClient client = AgentClient.connect("127.0.0.1", listening.getLocalPort(), null, 0, listener)) {
            assertThat(client.reset(2)).as("the next sequence the second reset's answer names").isEqualTo(9);
            assertThat(notices.poll(Patience.SECONDS, TimeUnit.SECONDS)).isEqualTo(new Message.ResetDone(5, 1));
        }
        agent.get(Patience.SECONDS, TimeUnit.SECONDS);
    }

    /**
     * A workload start the client gave up waiting for, answered only after the stop that followed it: the start's late
     * answer ("running") is not the stop's, and reaches the listener. On the old code the stop returned "running".
     */
    @Test
    void aLateAnswerIsNeverTakenForTheNextRequestOfTheSameKind() throws Exception {
        CompletableFuture<Void> agent = scriptedAgent(codec -> {
            codec.read(); // exercise running: left unanswered until the client asked again
            codec.read(); // exercise stopped
            codec.write(new Message.Exercising("vhost-net", true, "vhost-net traffic started"));
            codec.write(new Message.Exercising("vhost-net", false, "vhost-net traffic stopped"));
        });
        try (AgentClient client = givingUpQuickly()) {
            assertThatThrownBy(() -> client.exercise("vhost-net", true))
                    .hasMessage("the agent did not answer exercise within " + GIVE_UP_MILLIS + " ms");
            client.replyTimeoutMillis(ANSWERED_MILLIS);

            assertThat(client.exercise("vhost-net", false).summary()).isEqualTo("vhost-net traffic stopped");
            assertThat(notices.poll(Patience.SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(new Message.Exercising("vhost-net", true, "vhost-net traffic started"));
        }
        agent.get(Patience.SECONDS, TimeUnit.SECONDS);
    }

    /**
     * A reset the client gave up, refused late (an error carries no reset number), just before the next reset's
     * answer: the refusal is the given-up reset's, by its place among the answers, and does not fail the next reset.
     * On the old code the second reset failed with the first one's refusal.
     */
    @Test
    void aLateRefusalOfAResetGivenUpDoesNotFailTheNextReset() throws Exception {
        CompletableFuture<Void> agent = scriptedAgent(codec -> {
            codec.read(); // reset 1: its drain takes longer than the client waits, then fails
            Message.Reset second = (Message.Reset) codec.read();
            codec.write(new Message.Error("reset", "kcov drain failed: Input/output error"));
            codec.write(new Message.ResetDone(9, second.reset()));
        });
        try (AgentClient client = givingUpQuickly()) {
            assertThatThrownBy(() -> client.reset(1)).hasMessageContaining("did not answer reset");
            client.replyTimeoutMillis(ANSWERED_MILLIS);

            assertThat(client.reset(2)).as("the next sequence the second reset's answer names").isEqualTo(9);
            assertThat(notices.poll(Patience.SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(new Message.Error("reset", "kcov drain failed: Input/output error"));
        }
        agent.get(Patience.SECONDS, TimeUnit.SECONDS);
    }

    private AgentClient givingUpQuickly() throws IOException {
        AgentClient client = AgentClient.connect("127.0.0.1", listening.getLocalPort(), null, 0, listener);
        client.replyTimeoutMillis(GIVE_UP_MILLIS);
        return client;
    }

    /** What the scripted agent does on the connection after its welcome. */
    private interface Script {
        void run(FrameCodec codec) throws IOException;
    }

    /** Welcomes one client, runs {@code script}, then waits for the client to close the connection. */
    private CompletableFuture<Void> scriptedAgent(Script script) {
        return CompletableFuture.runAsync(() -> {
            try (Socket peer = listening.accept()) {
                FrameCodec codec = new FrameCodec(peer.getInputStream(), peer.getOutputStream());
                codec.read(); // hello
                Message.KernelInfo kernel = new Message.KernelInfo("6.1.0-kcov", "0123abcd", true, true, true, null,
                        List.of(new Message.UsbBus(1, "2.00", "480", "xHCI Host Controller")));
                codec.write(new Message.Welcome(AgentProtocol.VERSION, "scripted agent", "4f1c", kernel, null));
                script.run(codec);
                codec.read(); // the end of the stream: the client closed
            } catch (EOFException closed) {
                // the client is done
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
