package dev.kcovexplorer.kcov.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Constants of the agent protocol shared by {@link AgentServer} and {@link AgentClient}. */
public final class AgentProtocol {
    /** Bumped on incompatible changes; the agent refuses clients that speak another version. */
    public static final int VERSION = 3;
    public static final int DEFAULT_PORT = 7070;
    /** Frame kind: a JSON {@link Message}. */
    static final byte KIND_JSON = 'J';
    /** Frame kind: a binary {@link CoverageBatch}. */
    static final byte KIND_BATCH = 'B';
    /** The largest frame either side accepts (kind byte + payload). */
    static final int MAX_FRAME_BYTES = 64 << 20;
    /** The largest frame the agent accepts before the peer authenticated: hello and auth are far smaller. */
    static final int MAX_HANDSHAKE_FRAME_BYTES = 4 << 10;
    /** Batches are split so that one frame stays well below {@link #MAX_FRAME_BYTES}. */
    static final int MAX_BATCH_WORDS = 1 << 20;

    private AgentProtocol() {
    }

    /**
     * The JSON mapping of {@link Message}s, strict about what a peer sends: no duplicate keys, no 5.5 read
     * as 5, no "12" read as 12, no trailing tokens. Unknown fields are ignored so that a newer peer's
     * additions do not break an older one.
     */
    static ObjectMapper json() {
        return JsonMapper.builder()
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }
}
