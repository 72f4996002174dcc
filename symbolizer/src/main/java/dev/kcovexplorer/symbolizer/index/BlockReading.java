package dev.kcovexplorer.symbolizer.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reading the small blocks of a {@link KernelIndexCodec} payload that are not columns (remote sites, tail-call
 * links): counts checked against what the rest of the block can hold, length-prefixed UTF-8 strings, and the one
 * message that names the offset of the damage.
 */
final class BlockReading {
    private BlockReading() {
    }

    /** A count of {@code what} at most {@code limit}: a larger or negative one is damage, not data. */
    static int count(ByteBuffer in, int limit, String what) {
        int n = in.getInt();
        if (n < 0 || n > limit) {
            throw fail(in, "impossible count of " + what + ": " + n);
        }
        return n;
    }

    /** A length-prefixed UTF-8 string. */
    static String string(ByteBuffer in) {
        int length = count(in, in.remaining(), "string bytes");
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static IndexFormatException fail(ByteBuffer in, String what) {
        return new IndexFormatException("kernel index corrupt at offset " + in.position() + ": " + what);
    }
}
