package dev.kcovexplorer.kcov;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads the GNU build id from raw ELF notes, as {@code /sys/kernel/notes} exposes the running kernel's
 * {@code .notes} section and {@code /sys/module/NAME/notes/.note.gnu.build-id} a module's: records of
 * {@code u32 namesz, u32 descsz, u32 type}, the name and the descriptor each padded to 4 bytes. The id is
 * the one in vmlinux or the {@code .ko}, so a client can check that the file it symbolizes with belongs
 * to the kernel or module it collected from.
 */
public final class GnuBuildIdNote {
    private static final int NT_GNU_BUILD_ID = 3;

    private GnuBuildIdNote() {
    }

    /** The build id in lower-case hex, or empty when the notes hold none (or are cut short). */
    public static Optional<String> gnuBuildId(byte[] notes) {
        ByteBuffer buffer = ByteBuffer.wrap(notes).order(ByteOrder.nativeOrder());
        while (buffer.remaining() >= 12) {
            long nameSize = Integer.toUnsignedLong(buffer.getInt());
            long descSize = Integer.toUnsignedLong(buffer.getInt());
            int type = buffer.getInt();
            long namePadded = align4(nameSize);
            long descPadded = align4(descSize);
            if (namePadded + descPadded > buffer.remaining()) {
                return Optional.empty();
            }
            byte[] name = new byte[(int) nameSize];
            buffer.get(name);
            buffer.position(buffer.position() + (int) (namePadded - nameSize));
            byte[] desc = new byte[(int) descSize];
            buffer.get(desc);
            buffer.position(buffer.position() + (int) (descPadded - descSize));
            if (type == NT_GNU_BUILD_ID && new String(name, StandardCharsets.US_ASCII).equals("GNU\0")) {
                return Optional.of(HexFormat.of().formatHex(desc));
            }
        }
        return Optional.empty();
    }

    private static long align4(long size) {
        return (size + 3) & ~3L;
    }
}
