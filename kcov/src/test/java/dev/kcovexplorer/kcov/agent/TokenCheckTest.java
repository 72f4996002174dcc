package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenCheckTest {

    @Test
    void onlyAProofMadeWithTheExactTokenForThisNonceIsAccepted() {
        TokenCheck check = new TokenCheck("s3cret-token-0123");
        String nonce = TokenCheck.newNonce();
        assertThat(check.accepts(nonce, TokenCheck.proof("s3cret-token-0123", nonce))).isTrue();
        assertThat(check.accepts(nonce, TokenCheck.proof("s3cret-token-012", nonce))).isFalse();
        assertThat(check.accepts(nonce, TokenCheck.proof("S3cret-token-0123", nonce))).isFalse();
        assertThat(check.accepts(TokenCheck.newNonce(), TokenCheck.proof("s3cret-token-0123", nonce)))
                .as("a proof for another nonce").isFalse();
        assertThat(check.accepts(nonce, "s3cret-token-0123")).isFalse();
        assertThat(check.accepts(nonce, "zz".repeat(32))).isFalse();
        assertThat(check.accepts(nonce, "")).isFalse();
        assertThat(check.accepts(nonce, null)).isFalse();
    }

    @Test
    void theProofIsHmacSha256OfTheNonceTextKeyedWithTheToken() throws Exception {
        // The construction the protocol document gives, computed here with the JDK's Mac directly.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("correct horse battery".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("c0ffee".getBytes(StandardCharsets.US_ASCII)));
        assertThat(TokenCheck.proof("correct horse battery", "c0ffee")).isEqualTo(expected);
    }

    @Test
    void noncesAreFreshAndLong() {
        assertThat(TokenCheck.newNonce()).hasSize(64).isNotEqualTo(TokenCheck.newNonce());
    }

    @Test
    void anEmptyTokenIsNotAProtection() {
        assertThatThrownBy(() -> new TokenCheck("")).hasMessageContaining("empty token");
    }
}
