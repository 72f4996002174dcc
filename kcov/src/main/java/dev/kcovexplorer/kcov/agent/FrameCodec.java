package dev.kcovexplorer.kcov.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.kcov.TraceMode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Reads and writes the agent's frames: {@code u32 length} (big-endian, counting what follows), a kind
 * byte, then either a JSON {@link Message} or a binary {@link CoverageBatch}:
 * <pre>
 *   u64 sequence | u8 mode (0 pc, 1 cmp) | u8 flags (bit 0 overflow) | u16 0 | u32 entries | u64 words[]
 * </pre>
 * All integers are big-endian. Writes are synchronized so two threads can share one stream.
 */
final class FrameCodec {
    private static final int BATCH_HEADER_BYTES = 8 + 1 + 1 + 2 + 4;
    private static final int FLAG_OVERFLOW = 1;

    private final ObjectMapper json = AgentProtocol.json();
    private final DataInputStream in;
    private final DataOutputStream out;

    FrameCodec(InputStream in, OutputStream out) {
        this.in = in == null ? null : new DataInputStream(in);
        this.out = out == null ? null : new DataOutputStream(out);
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

    /** The next frame: a {@link Message} or a {@link CoverageBatch}; {@link EOFException} at a clean end. */
    Object read() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("the peer closed the connection");
        }
        if (length < 1 || length > AgentProtocol.MAX_FRAME_BYTES) {
            throw new ProtocolException("frame length " + length + " outside 1.." + AgentProtocol.MAX_FRAME_BYTES
                    + " (is the peer a kcov-explorer agent?)");
        }
        byte kind = in.readByte();
        byte[] payload = new byte[length - 1];
        in.readFully(payload);
        return switch (kind) {
            case AgentProtocol.KIND_JSON -> parseMessage(payload);
            case AgentProtocol.KIND_BATCH -> parseBatch(payload);
            default -> throw new ProtocolException(String.format("unknown frame kind 0x%02x", kind));
        };
    }

    private Message parseMessage(byte[] payload) throws ProtocolException {
        try {
            return json.readValue(payload, Message.class);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new ProtocolException("bad control message: " + detail);
        }
    }

    private static CoverageBatch parseBatch(byte[] payload) throws ProtocolException {
        if (payload.length < BATCH_HEADER_BYTES) {
            throw new ProtocolException("batch frame of " + payload.length + " bytes: the header alone is "
                    + BATCH_HEADER_BYTES);
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        long sequence = buffer.getLong();
        int modeValue = buffer.get();
        int flags = buffer.get();
        buffer.getShort();
        int entries = buffer.getInt();
        TraceMode mode = switch (modeValue) {
            case 0 -> TraceMode.PC;
            case 1 -> TraceMode.CMP;
            default -> throw new ProtocolException("batch " + sequence + " has unknown trace mode " + modeValue);
        };
        long words = (long) entries * mode.wordsPerEntry();
        if (entries < 0 || words * 8 != buffer.remaining()) {
            throw new ProtocolException("batch " + sequence + " declares " + entries + " entries but carries "
                    + buffer.remaining() + " bytes");
        }
        long[] data = new long[(int) words];
        buffer.asLongBuffer().get(data);
        return new CoverageBatch(sequence, mode, (flags & FLAG_OVERFLOW) != 0, data);
    }

    /** The peer broke the protocol; the connection cannot go on. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }
}
