package dev.kcovexplorer.kcov;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds kcov areas byte by byte, the way the kernel lays them out, independently of our writers. */
final class Areas {
    /** kcov maps whole pages: a full area saved as mapped is a multiple of this. */
    static final int PAGE = 4096;

    private Areas() {
    }

    /** A TRACE_PC area of {@code areaWords} words (count word included) holding {@code pcs}. */
    static byte[] pcArea(int wordSize, long[] pcs, int areaWords) {
        ByteBuffer b = ByteBuffer.allocate(areaWords * wordSize).order(ByteOrder.LITTLE_ENDIAN);
        put(b, wordSize, pcs.length);
        for (long pc : pcs) {
            put(b, wordSize, pc);
        }
        return b.array();
    }

    /** A TRACE_CMP area; records are {type, arg1, arg2, ip} quadruples flattened. */
    static byte[] cmpArea(int wordSize, long[] records, int areaWords) {
        ByteBuffer b = ByteBuffer.allocate(areaWords * wordSize).order(ByteOrder.LITTLE_ENDIAN);
        put(b, wordSize, records.length / 4);
        for (long word : records) {
            put(b, wordSize, word);
        }
        return b.array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] data) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, data);
        return file;
    }

    private static void put(ByteBuffer b, int wordSize, long value) {
        if (wordSize == 8) {
            b.putLong(value);
        } else {
            b.putInt((int) value);
        }
    }
}
