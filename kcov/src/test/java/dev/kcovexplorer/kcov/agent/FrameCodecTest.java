package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.kcov.TraceMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every message and batch survives the wire; malformed frames are named, not misread. */
class FrameCodecTest {

    private static Object roundTrip(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameCodec writer = new FrameCodec(null, bytes);
        if (value instanceof Message message) {
            writer.write(message);
        } else {
            writer.write((CoverageBatch) value);
        }
        return new FrameCodec(new ByteArrayInputStream(bytes.toByteArray()), null).read();
    }

    @Test
    void everyControlMessageRoundTrips() throws IOException {
        Message.KernelInfo kernel = new Message.KernelInfo("6.1.0-kcov", "0123abcd", true, true, true, null,
                List.of(new Message.UsbBus(1, "2.00", "480", "xHCI Host Controller")));
        Message.SessionInfo session = new Message.SessionInfo("pc", 1 << 20, List.of(1, 2), 0x42, false, 200,
                "keep", 17, 3);
        List<Message> messages = List.of(
                new Message.Hello(AgentProtocol.VERSION, "test", 41),
                new Message.Challenge("00ff"),
                new Message.Auth("abcd"),
                new Message.Welcome(AgentProtocol.VERSION, "kcov-explorer agent", "4f1c", kernel, session),
                new Message.Welcome(AgentProtocol.VERSION, "kcov-explorer agent", "4f1c", kernel, null),
                new Message.Start("cmp", 4096, List.of(1), 0x42L, false, 100, "stop"),
                new Message.Started(session),
                new Message.Stop(),
                new Message.Stopped(5, 1000, 1, 0),
                new Message.Reset(3),
                new Message.ResetDone(18, 3),
                new Message.Error("start", "kcov said no"),
                new Message.Bye("SIGTERM"));
        for (Message message : messages) {
            assertThat(roundTrip(message)).as(message.toString()).isEqualTo(message);
        }
    }

    @Test
    void theTypeFieldNamesTheMessage() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new FrameCodec(null, bytes).write(new Message.ResetDone(7, 2));
        String json = new String(bytes.toByteArray(), 5, bytes.size() - 5, StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"type\":\"reset-done\",\"nextSequence\":7,\"reset\":2}");
    }

    @Test
    void batchesRoundTripWithSequenceModeAndOverflow() throws IOException {
        long[] pcs = {0xffffffff81000005L, 0xffffffff81abcdefL, 0xffffffff81000005L};
        CoverageBatch pc = (CoverageBatch) roundTrip(new CoverageBatch(9, TraceMode.PC, true, pcs));
        assertThat(pc.sequence()).isEqualTo(9);
        assertThat(pc.mode()).isEqualTo(TraceMode.PC);
        assertThat(pc.overflow()).isTrue();
        assertThat(pc.words()).containsExactly(pcs);

        long[] cmp = {1, 0, 0x10, 0xffffffff81000005L, 6, -1, 2, 0xffffffff81000010L};
        CoverageBatch records = (CoverageBatch) roundTrip(new CoverageBatch(10, TraceMode.CMP, false, cmp));
        assertThat(records.entryCount()).isEqualTo(2);
        assertThat(records.words()).containsExactly(cmp);
        assertThat(records.overflow()).isFalse();

        assertThat(((CoverageBatch) roundTrip(new CoverageBatch(11, TraceMode.PC, true, new long[0]))).words()).isEmpty();
    }

    @Test
    void malformedFramesAreRejectedWithAReason() {
        assertThatThrownBy(() -> read(frame(0)))
                .hasMessageContaining("frame length 0");
        assertThatThrownBy(() -> read(frame(1 << 30)))
                .hasMessageContaining("frame length 1073741824");
        assertThatThrownBy(() -> read(frame(2, 'X', 0)))
                .hasMessageContaining("unknown frame kind 0x58");
        assertThatThrownBy(() -> read(frame(1 + 16 + 4, 'B', 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 2, 1, 2, 3, 4)))
                .hasMessageContaining("batch 3 declares 2 entries but carries 4 bytes");
        assertThatThrownBy(() -> read(frame(1 + 2, 'J', '{', '}')))
                .isInstanceOf(FrameCodec.BadMessageException.class)
                .hasMessageContaining("field type: expected the message's name");
        assertThatThrownBy(() -> read(frame(1 + 2, 'J', '{', '[')))
                .isInstanceOf(FrameCodec.BadMessageException.class)
                .hasMessageContaining("bad control message");
        assertThatThrownBy(() -> read(new byte[0]))
                .isInstanceOf(EOFException.class).hasMessageContaining("closed the connection");
    }

    private static Object read(byte[] bytes) throws IOException {
        return new FrameCodec(new ByteArrayInputStream(bytes), null).read();
    }

    private static byte[] frame(int length, int... body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(length);
        for (int b : body) {
            out.writeByte(b);
        }
        return bytes.toByteArray();
    }
}
