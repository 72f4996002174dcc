package dev.kcovexplorer.kcov.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agent's side of a connection's start: {@code hello}, and with a token {@code challenge} /
 * {@code auth}. Whatever goes wrong is answered with an {@code error} naming the reason before the
 * connection is closed. Frames are limited to {@link AgentProtocol#MAX_HANDSHAKE_FRAME_BYTES} until the
 * peer is through. A peer whose proofs keep failing waits longer and longer ({@link FailedAttempts}).
 */
final class Handshake {
    private static final int MAX_CLIENT_NAME = 200;

    private final TokenCheck token;
    private final FailedAttempts failures = new FailedAttempts();
    private final Consumer<String> refusals;

    Handshake(TokenCheck token, Consumer<String> refusals) {
        this.token = token;
        this.refusals = refusals;
    }

    /**
     * Runs the handshake's messages and proof once through a codec in memory, before the agent says it
     * listens: in a guest under TCG a cold JVM spends seconds loading Jackson and the HMAC for the first
     * hello, which would eat the first client's whole {@link AgentServer#HANDSHAKE_MILLIS}.
     */
    static void warmUp() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FrameCodec writer = new FrameCodec(null, out);
            String nonce = TokenCheck.newNonce();
            writer.write(new Message.Hello(AgentProtocol.VERSION, "warm-up", 0));
            writer.write(new Message.Challenge(nonce));
            writer.write(new Message.Auth(TokenCheck.proof("warm-up token of 24 bytes", nonce)));
            writer.write(new Message.Welcome(AgentProtocol.VERSION, "warm-up", "instance",
                    new Message.KernelInfo("release", null, true, true, true, null,
                            List.of(new Message.UsbBus(1, "2.00", "480", "xHCI Host Controller"))), null));
            writer.write(new Message.Start("pc", 2, List.of(1), 0L, false, 200, "keep"));
            FrameCodec reader = new FrameCodec(new ByteArrayInputStream(out.toByteArray()), null);
            for (int i = 0; i < 5; i++) {
                reader.read();
            }
        } catch (IOException e) {
            throw new IllegalStateException("the handshake's own messages do not encode: " + e.getMessage(), e);
        }
    }

    /** The client's hello if it may go on; otherwise it was told why and null is returned. */
    Message.Hello perform(FrameCodec codec, InetAddress address, String peer) throws IOException {
        codec.limitFrames(AgentProtocol.MAX_HANDSHAKE_FRAME_BYTES);
        Object first = read(codec, peer);
        if (first == null) {
            return null;
        }
        if (!(first instanceof Message.Hello hello)) {
            return refuse(codec, peer, "the first message must be hello");
        }
        if (hello.protocol() != AgentProtocol.VERSION) {
            return refuse(codec, peer, "protocol version " + hello.protocol()
                    + " is not supported: this agent speaks version " + AgentProtocol.VERSION);
        }
        if (hello.resumeAfter() < 0) {
            return refuse(codec, peer, "field resumeAfter: " + hello.resumeAfter()
                    + " is negative; expected the last sequence number received, or 0");
        }
        if (hello.client() != null && hello.client().length() > MAX_CLIENT_NAME) {
            return refuse(codec, peer, "field client: longer than " + MAX_CLIENT_NAME + " characters");
        }
        if (token == null) {
            return hello;
        }
        long pause = failures.pauseLeftMillis(address);
        if (pause > 0) {
            return refuse(codec, peer, "too many failed attempts from " + address.getHostAddress() + ": try again in "
                    + (pause + 999) / 1000 + " s");
        }
        String nonce = TokenCheck.newNonce();
        codec.write(new Message.Challenge(nonce));
        Object answer = read(codec, peer);
        if (answer == null) {
            return null;
        }
        if (!(answer instanceof Message.Auth auth)) {
            return refuse(codec, peer, "the answer to challenge must be auth");
        }
        if (!token.accepts(nonce, auth.proof())) {
            failures.failed(address);
            return refuse(codec, peer, "invalid token");
        }
        failures.succeeded(address);
        return hello;
    }

    /** The next control message, or null after refusing a malformed one. */
    private Object read(FrameCodec codec, String peer) throws IOException {
        try {
            Object frame = codec.read();
            if (frame instanceof CoverageBatch) {
                return refuse(codec, peer, "clients do not send coverage batches");
            }
            return frame;
        } catch (FrameCodec.BadMessageException e) {
            return refuse(codec, peer, e.getMessage());
        } catch (FrameCodec.ProtocolException e) {
            refuse(codec, peer, e.getMessage());
            throw e;
        }
    }

    private Message.Hello refuse(FrameCodec codec, String peer, String reason) throws IOException {
        refusals.accept("refused " + peer + ": " + reason);
        codec.write(new Message.Error("hello", reason));
        return null;
    }
}
