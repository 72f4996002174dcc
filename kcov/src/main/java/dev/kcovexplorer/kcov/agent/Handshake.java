package dev.kcovexplorer.kcov.agent;

import java.io.IOException;
import java.net.InetAddress;
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
