package dev.kcovexplorer.kcov.agent;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge–response with a shared token: the agent sends a fresh nonce, the client answers with
 * HMAC-SHA256(key = token, message = nonce), so the token never crosses the wire and a recorded answer
 * is worthless for the next connection. Proofs are compared in constant time
 * ({@link MessageDigest#isEqual} over 32 bytes).
 */
final class TokenCheck {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final int NONCE_BYTES = 32;
    private static final int PROOF_HEX_CHARS = 64;

    private final String token;

    TokenCheck(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("an empty token protects nothing");
        }
        this.token = token;
    }

    /** A nonce for one connection: 32 random bytes in hex. */
    static String newNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return HEX.formatHex(nonce);
    }

    /** What a client holding {@code token} answers to {@code nonce}. */
    static String proof(String token, String nonce) {
        return HEX.formatHex(hmac(token, nonce));
    }

    /** Whether {@code proof} answers {@code nonce} with this token; a malformed proof is simply wrong. */
    boolean accepts(String nonce, String proof) {
        if (proof == null || proof.length() != PROOF_HEX_CHARS) {
            return false;
        }
        byte[] presented;
        try {
            presented = HEX.parseHex(proof);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(hmac(token, nonce), presented);
    }

    private static byte[] hmac(String token, String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(nonce.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
