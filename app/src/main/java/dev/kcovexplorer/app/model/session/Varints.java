package dev.kcovexplorer.app.model.session;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/** LEB128 unsigned varints: small ids, lengths and address deltas take one or two bytes before deflate. */
final class Varints {
    private Varints() {
    }

    static void write(DataOutputStream out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long read(DataInputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }

    /** A non-negative int, refusing values above {@code max} (so corrupt counts cannot allocate gigabytes). */
    static int readInt(DataInputStream in, long max, String what) throws IOException {
        long value = read(in);
        if (value < 0 || value > max) {
            throw new IOException(what + " " + Long.toUnsignedString(value) + " is out of range (at most " + max + ")");
        }
        return (int) value;
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            write(out, 0);
            return;
        }
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        write(out, bytes.length + 1L);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = readInt(in, 1 << 24, "string length");
        if (length == 0) {
            return null;
        }
        byte[] bytes = new byte[length - 1];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
