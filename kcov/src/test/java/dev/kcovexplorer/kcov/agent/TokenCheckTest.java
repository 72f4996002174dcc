package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenCheckTest {

    @Test
    void onlyTheExactTokenIsAccepted() {
        TokenCheck check = new TokenCheck("s3cret-token");
        assertThat(check.accepts("s3cret-token")).isTrue();
        assertThat(check.accepts("s3cret-toke")).isFalse();
        assertThat(check.accepts("s3cret-token ")).isFalse();
        assertThat(check.accepts("S3cret-token")).isFalse();
        assertThat(check.accepts("")).isFalse();
        assertThat(check.accepts(null)).isFalse();
    }

    @Test
    void anEmptyTokenIsNotAProtection() {
        assertThatThrownBy(() -> new TokenCheck("")).hasMessageContaining("empty token");
    }
}
