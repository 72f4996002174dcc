package dev.kcovexplorer.kcov.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Constants of the agent protocol shared by {@link AgentServer} and {@link AgentClient}. */
public final class AgentProtocol {
    /** Bumped on incompatible changes; the agent refuses clients that speak another version. */
    public static final int VERSION = 1;
    public static final int DEFAULT_PORT = 7070;
    /** Frame kind: a JSON {@link Message}. */
    static final byte KIND_JSON = 'J';
    /** Frame kind: a binary {@link CoverageBatch}. */
    static final byte KIND_BATCH = 'B';
    /** The largest frame either side accepts (kind byte + payload). */
    static final int MAX_FRAME_BYTES = 64 << 20;
    /** Batches are split so that one frame stays well below {@link #MAX_FRAME_BYTES}. */
    static final int MAX_BATCH_WORDS = 1 << 20;

    private AgentProtocol() {
    }

    static ObjectMapper json() {
        return new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
