package dev.kcovexplorer.app.model.session;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Writes ZIP containers byte by byte, so that every header field can lie: sizes and CRCs that do not
 * match the data, duplicate names, bombs whose deflate stream inflates to gigabytes. Written from the
 * ZIP specification (APPNOTE 4.3.7 local header, 4.3.12 central directory, 4.3.16 end record), not
 * with {@link java.util.zip.ZipOutputStream}, which refuses to lie.
 */
final class ZipForge {
    static final int STORED = 0;
    static final int DEFLATED = 8;
    private static final Map<Long, byte[]> ZERO_STREAMS = new HashMap<>();
    private static final Map<Long, Long> ZERO_CRCS = new HashMap<>();
    private static final int ZERO_CHUNK = 16 << 20;

    private ZipForge() {
    }

    /** One entry as written: the raw (compressed) bytes and the header fields that describe them. */
    record Part(String name, int method, byte[] raw, long crc, long compressedSize, long size) {

        static Part deflated(String name, byte[] data) {
            return new Part(name, DEFLATED, deflate(data), ZipForge.crc(data), -1, data.length).fixSizes();
        }

        static Part stored(String name, byte[] data) {
            return new Part(name, STORED, data.clone(), ZipForge.crc(data), data.length, data.length);
        }

        private Part fixSizes() {
            return new Part(name, method, raw, crc, raw.length, size);
        }

        Part withCrc(long newCrc) {
            return new Part(name, method, raw, newCrc & 0xffffffffL, compressedSize, size);
        }

        Part withSize(long newSize) {
            return new Part(name, method, raw, crc, compressedSize, newSize);
        }

        Part withName(String newName) {
            return new Part(newName, method, raw, crc, compressedSize, size);
        }

        /** The raw data cut short, the headers unchanged. */
        Part withRawCut(int length) {
            return new Part(name, method, java.util.Arrays.copyOf(raw, length), crc, length, size);
        }
    }

    /** The entries of {@code zip} in order, each re-deflated from its data. */
    static List<Part> parts(Path zip) throws IOException {
        List<Part> parts = new ArrayList<>();
        try (ZipFile in = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                try (InputStream data = in.getInputStream(entry)) {
                    parts.add(Part.deflated(entry.getName(), data.readAllBytes()));
                }
            }
        }
        return parts;
    }

    static byte[] data(List<Part> parts, String name) throws IOException {
        for (Part part : parts) {
            if (part.name().equals(name)) {
                return inflate(part);
            }
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    /** A deflated entry of {@code size} zero bytes (a multiple of 16 MiB), honest headers. */
    static Part zeroBomb(String name, long size) {
        return new Part(name, DEFLATED, zeroStream(size), zeroCrc(size), zeroStream(size).length, size);
    }

    static byte[] write(List<Part> parts) {
        // Sized up front: a demo session is 8 MB, and the mutation test writes a thousand of them.
        int size = 22;
        for (Part part : parts) {
            size += 30 + 46 + 2 * part.name().getBytes(StandardCharsets.UTF_8).length + part.raw().length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        List<Integer> offsets = new ArrayList<>();
        for (Part part : parts) {
            offsets.add(out.size());
            byte[] name = part.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer local = le(30 + name.length);
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) part.method())
                    .putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) part.crc()).putInt((int) part.compressedSize()).putInt((int) part.size())
                    .putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(local.array());
            out.writeBytes(part.raw());
        }
        int centralStart = out.size();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            byte[] name = part.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer central = le(46 + name.length);
            central.putInt(0x02014b50).putShort((short) 0x031e).putShort((short) 20).putShort((short) 0x0800)
                    .putShort((short) part.method()).putShort((short) 0).putShort((short) 0x21)
                    .putInt((int) part.crc()).putInt((int) part.compressedSize()).putInt((int) part.size())
                    .putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(offsets.get(i)).put(name);
            out.writeBytes(central.array());
        }
        int centralSize = out.size() - centralStart;
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) parts.size())
                .putShort((short) parts.size()).putInt(centralSize).putInt(centralStart).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] inflate(Part part) throws IOException {
        if (part.method() == STORED) {
            return part.raw().clone();
        }
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        inflater.setInput(part.raw());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("deflate stream of " + part.name() + " ends early");
                }
                out.write(buffer, 0, n);
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException(e);
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    /**
     * A raw deflate stream of {@code size} zeros built without deflating them all: one 16 MiB chunk
     * flushed to a byte boundary, then a second chunk (whose back-references only reach zeros) repeated,
     * then the final empty block.
     */
    private static synchronized byte[] zeroStream(long size) {
        return ZERO_STREAMS.computeIfAbsent(size, s -> {
            if (s % ZERO_CHUNK != 0 || s < 2L * ZERO_CHUNK) {
                throw new IllegalArgumentException("bomb sizes are multiples of 16 MiB, at least 32 MiB");
            }
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            byte[] zeros = new byte[ZERO_CHUNK];
            byte[] first = flushChunk(deflater, zeros);
            byte[] repeated = flushChunk(deflater, zeros);
            deflater.finish();
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                tail.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            stream.writeBytes(first);
            for (long i = 1; i < s / ZERO_CHUNK; i++) {
                stream.writeBytes(repeated);
            }
            stream.writeBytes(tail.toByteArray());
            return stream.toByteArray();
        });
    }

    private static byte[] flushChunk(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (true) {
            int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
            if (n < buffer.length && deflater.needsInput()) {
                return out.toByteArray();
            }
        }
    }

    private static synchronized long zeroCrc(long size) {
        return ZERO_CRCS.computeIfAbsent(size, s -> {
            CRC32 crc = new CRC32();
            byte[] zeros = new byte[ZERO_CHUNK];
            for (long done = 0; done < s; done += ZERO_CHUNK) {
                crc.update(zeros);
            }
            return crc.getValue();
        });
    }
}
