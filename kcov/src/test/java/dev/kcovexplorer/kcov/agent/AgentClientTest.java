package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

/** The client against an agent scripted frame by frame: answers a real agent gives, in an order it can give them. */
class AgentClientTest {

    /**
     * The answer to a reset the client gave up waiting for (a minute) comes just before the answer to the next reset:
     * it is not taken for the next one's, whose point is later (taken, the batches between the two points, made before
     * the second reset, counted again), and it reaches the listener, which learns which reset it confirms.
     */
    @Test
    void aLateAnswerToAnEarlierResetIsNotTakenForTheNextOnes() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> agent = CompletableFuture.runAsync(() -> answerResetsLate(listening));
            BlockingQueue<Message> notices = new LinkedBlockingQueue<>();
            AgentClient.Listener listener = new AgentClient.Listener() {
                @Override
                public void onBatch(CoverageBatch batch) {
                }

                @Override
                public void onNotice(Message message) {
                    notices.add(message);
                }
            };
            try (AgentClient client = AgentClient.connect("127.0.0.1", listening.getLocalPort(), null, 0, listener)) {
                assertThat(client.reset(2)).as("the next sequence the second reset's answer names").isEqualTo(9);
                assertThat(notices.poll(60, TimeUnit.SECONDS)).isEqualTo(new Message.ResetDone(5, 1));
            }
            agent.get(60, TimeUnit.SECONDS);
        }
    }

    /** Welcomes one client, and answers its reset with the late answer to the reset before it first. */
    private static void answerResetsLate(ServerSocket listening) {
        try (Socket peer = listening.accept()) {
            FrameCodec codec = new FrameCodec(peer.getInputStream(), peer.getOutputStream());
            codec.read(); // hello
            Message.KernelInfo kernel = new Message.KernelInfo("6.1.0-kcov", "0123abcd", true, true, true, null,
                    List.of(new Message.UsbBus(1, "2.00", "480", "xHCI Host Controller")));
            codec.write(new Message.Welcome(AgentProtocol.VERSION, "scripted agent", "4f1c", kernel, null));
            Message.Reset reset = (Message.Reset) codec.read();
            codec.write(new Message.ResetDone(5, reset.reset() - 1));
            codec.write(new Message.ResetDone(9, reset.reset()));
            codec.read(); // the end of the stream: the client closed
        } catch (EOFException closed) {
            // the client is done
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
