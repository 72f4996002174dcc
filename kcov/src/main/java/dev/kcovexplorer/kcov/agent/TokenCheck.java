package dev.kcovexplorer.kcov.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Compares a presented token with the agent's in constant time: both are hashed to SHA-256 first, so
 * {@link MessageDigest#isEqual} always compares 32 bytes and neither the content nor the length of the
 * secret shows in the time a refusal takes.
 */
final class TokenCheck {
    private final byte[] expectedDigest;

    TokenCheck(String expected) {
        if (expected == null || expected.isEmpty()) {
            throw new IllegalArgumentException("an empty token protects nothing");
        }
        this.expectedDigest = sha256(expected);
    }

    boolean accepts(String presented) {
        return MessageDigest.isEqual(expectedDigest, sha256(presented == null ? "" : presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
