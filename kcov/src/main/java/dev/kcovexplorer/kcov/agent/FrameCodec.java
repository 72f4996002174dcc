package dev.kcovexplorer.kcov.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.kcov.TraceMode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads and writes the agent's frames: {@code u32 length} (big-endian, counting what follows), a kind
 * byte, then either a JSON {@link Message} or a binary {@link CoverageBatch}:
 * <pre>
 *   u64 sequence | u8 mode (0 pc, 1 cmp) | u8 flags (bit 0 overflow) | u16 0 | u32 entries | u64 words[]
 * </pre>
 * All integers are big-endian. Writes are synchronized so two threads can share one stream.
 *
 * <p>A frame's declared length is never trusted with memory: the reader refuses lengths above the limit
 * its caller sets (small before a peer authenticated) and otherwise grows its buffer only as bytes
 * arrive, so a header that declares 64 MiB and sends nothing costs nothing.
 */
final class FrameCodec {
    private static final int BATCH_HEADER_BYTES = 8 + 1 + 1 + 2 + 4;
    private static final int FLAG_OVERFLOW = 1;
    /** The first allocation for a payload and the step a read advances by. */
    private static final int CHUNK_BYTES = 64 << 10;

    private final ObjectMapper json = AgentProtocol.json();
    private final DataInputStream in;
    private final DataOutputStream out;
    private volatile int frameLimit = AgentProtocol.MAX_FRAME_BYTES;

    FrameCodec(InputStream in, OutputStream out) {
        this.in = in == null ? null : new DataInputStream(in);
        this.out = out == null ? null : new DataOutputStream(out);
    }

    /** The largest frame {@link #read()} accepts from now on (kind byte + payload). */
    void limitFrames(int maxFrameBytes) {
        this.frameLimit = maxFrameBytes;
    }

    void write(Message message) throws IOException {
        byte[] payload;
        try {
            payload = json.writerFor(Message.class).writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot encode " + message + ": " + e.getOriginalMessage(), e);
        }
        synchronized (out) {
            out.writeInt(1 + payload.length);
            out.writeByte(AgentProtocol.KIND_JSON);
            out.write(payload);
            out.flush();
        }
    }

    void write(CoverageBatch batch) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(4 + 1 + BATCH_HEADER_BYTES + batch.words().length * 8);
        frame.putInt(1 + BATCH_HEADER_BYTES + batch.words().length * 8);
        frame.put(AgentProtocol.KIND_BATCH);
        frame.putLong(batch.sequence());
        frame.put((byte) batch.mode().kernelValue());
        frame.put((byte) (batch.overflow() ? FLAG_OVERFLOW : 0));
        frame.putShort((short) 0);
        frame.putInt(batch.entryCount());
        frame.asLongBuffer().put(batch.words());
        synchronized (out) {
            out.write(frame.array());
            out.flush();
        }
    }

    /**
     * The next frame: a {@link Message} or a {@link CoverageBatch}; {@link EOFException} at a clean end,
     * {@link BadMessageException} for a whole frame whose content is wrong (the stream can go on), another
     * {@link ProtocolException} when the framing itself is broken.
     */
    Object read() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("the peer closed the connection");
        }
        int limit = frameLimit;
        if (length < 1 || length > limit) {
            throw new ProtocolException("frame length " + Integer.toUnsignedString(length) + " outside 1.." + limit
                    + (limit < AgentProtocol.MAX_FRAME_BYTES ? " before authentication" : "")
                    + " (is the peer a kcov-explorer agent?)");
        }
        byte kind = in.readByte();
        return switch (kind) {
            case AgentProtocol.KIND_JSON -> parseMessage(readPayload(length - 1));
            case AgentProtocol.KIND_BATCH -> readBatch(length - 1);
            default -> throw new ProtocolException(String.format("unknown frame kind 0x%02x", kind));
        };
    }

    /** {@code length} bytes, in a buffer that grows as they arrive rather than as the header says. */
    private byte[] readPayload(int length) throws IOException {
        byte[] payload = new byte[Math.min(length, CHUNK_BYTES)];
        int filled = 0;
        while (filled < length) {
            if (filled == payload.length) {
                payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
            }
            int step = in.read(payload, filled, payload.length - filled);
            if (step < 0) {
                throw new EOFException("the peer closed the connection in a frame of " + length + " bytes after "
                        + filled);
            }
            filled += step;
        }
        return payload;
    }

    private Message parseMessage(byte[] payload) throws BadMessageException {
        String request = "unknown";
        try {
            JsonNode tree = json.readTree(payload);
            if (tree == null || !tree.isObject()) {
                throw new BadMessageException(request, "a control message is a JSON object, got "
                        + (tree == null ? "nothing" : tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            JsonNode type = tree.get("type");
            if (type == null || !type.isTextual()) {
                throw new BadMessageException(request, "field type: expected the message's name as a string");
            }
            request = type.asText().matches("[a-z-]{1,20}") ? type.asText() : request;
            return json.treeToValue(tree, Message.class);
        } catch (BadMessageException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new BadMessageException(request, describe(e));
        } catch (IOException e) {
            throw new BadMessageException(request, "bad control message: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // treeToValue wraps what the records' own checks throw
            throw new BadMessageException(request, e.getMessage());
        }
    }

    /** "field usbBuses[0]: Cannot coerce …": which field, and Jackson's first sentence on what is wrong. */
    static String describe(JsonProcessingException e) {
        String reason = String.valueOf(e.getOriginalMessage());
        int cut = reason.indexOf('\n');
        reason = cut < 0 ? reason : reason.substring(0, cut);
        for (String hint : new String[] {" (but ", " (set ", " (through reference chain"}) {
            int at = reason.indexOf(hint);
            reason = at < 0 ? reason : reason.substring(0, at);
        }
        if (reason.length() > 200) {
            reason = reason.substring(0, 200) + "…";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder();
            for (JsonMappingException.Reference step : mapping.getPath()) {
                if (step.getFieldName() != null) {
                    field.append(field.length() == 0 ? "" : ".").append(step.getFieldName());
                } else if (step.getIndex() >= 0) {
                    field.append('[').append(step.getIndex()).append(']');
                }
            }
            return "field " + field + ": " + reason;
        }
        return "bad control message: " + reason;
    }

    /** A batch frame of {@code length} bytes after the kind byte; its words are read as they arrive. */
    private CoverageBatch readBatch(int length) throws IOException {
        if (length < BATCH_HEADER_BYTES) {
            throw new ProtocolException("batch frame of " + length + " bytes: the header alone is "
                    + BATCH_HEADER_BYTES);
        }
        ByteBuffer header = ByteBuffer.wrap(readPayload(BATCH_HEADER_BYTES));
        long sequence = header.getLong();
        int modeValue = header.get();
        int flags = header.get();
        header.getShort();
        int entries = header.getInt();
        TraceMode mode = switch (modeValue) {
            case 0 -> TraceMode.PC;
            case 1 -> TraceMode.CMP;
            default -> throw new ProtocolException("batch " + sequence + " has unknown trace mode " + modeValue);
        };
        long bytes = length - BATCH_HEADER_BYTES;
        if (entries < 0 || (long) entries * mode.wordsPerEntry() * 8 != bytes) {
            throw new ProtocolException("batch " + sequence + " declares " + Integer.toUnsignedString(entries)
                    + " entries but carries " + bytes + " bytes");
        }
        ByteBuffer words = ByteBuffer.wrap(readPayload((int) bytes));
        long[] data = new long[(int) (bytes / 8)];
        words.asLongBuffer().get(data);
        return new CoverageBatch(sequence, mode, (flags & FLAG_OVERFLOW) != 0, data);
    }

    /** The peer broke the protocol; the connection cannot go on. */
    static class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /**
     * A whole control frame arrived but says something wrong (not JSON, a field of the wrong type): the
     * peer can be told and the stream goes on.
     */
    static final class BadMessageException extends ProtocolException {
        private static final long serialVersionUID = 1L;
        private final String request;

        BadMessageException(String request, String message) {
            super(message);
            this.request = request;
        }

        /** The message's {@code type}, or "unknown" when it has none. */
        String request() {
            return request;
        }
    }
}
