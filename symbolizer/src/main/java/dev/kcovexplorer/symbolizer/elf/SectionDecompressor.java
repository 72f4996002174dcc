package dev.kcovexplorer.symbolizer.elf;

import io.airlift.compress.zstd.ZstdDecompressor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates compressed debug sections: {@code SHF_COMPRESSED} ones (an {@code Elf_Chdr} then zlib or
 * zstd data) and legacy {@code .zdebug_*} ones ("ZLIB", a big-endian 64-bit size, then zlib data).
 */
final class SectionDecompressor {
    private static final int ELFCOMPRESS_ZLIB = 1;
    private static final int ELFCOMPRESS_ZSTD = 2;

    private SectionDecompressor() {
    }

    static ByteBuffer decompressElf(ByteBuffer raw, boolean elf64, String what) {
        raw = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int headerSize = elf64 ? 24 : 12;
        if (raw.capacity() < headerSize) {
            throw new ElfFormatException(what + ": compressed section shorter than its "
                    + headerSize + "-byte compression header");
        }
        int type = raw.getInt(0);
        long size = elf64 ? raw.getLong(8) : Integer.toUnsignedLong(raw.getInt(4));
        ByteBuffer payload = raw.slice(headerSize, raw.capacity() - headerSize);
        switch (type) {
            case ELFCOMPRESS_ZLIB:
                return inflate(payload, checkedSize(size, what), what);
            case ELFCOMPRESS_ZSTD:
                return unzstd(payload, checkedSize(size, what), what);
            default:
                throw new ElfFormatException(what + ": unknown compression type " + type
                        + " (expected 1 = zlib or 2 = zstd)");
        }
    }

    static ByteBuffer decompressZdebug(ByteBuffer raw, String what) {
        if (raw.capacity() < 12 || raw.get(0) != 'Z' || raw.get(1) != 'L' || raw.get(2) != 'I' || raw.get(3) != 'B') {
            throw new ElfFormatException(what + ": legacy compressed section does not start with \"ZLIB\"");
        }
        long size = raw.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(4);
        return inflate(raw.slice(12, raw.capacity() - 12), checkedSize(size, what), what);
    }

    private static int checkedSize(long size, String what) {
        if (size < 0 || size > Integer.MAX_VALUE - 16) {
            throw new ElfFormatException(what + ": decompressed size " + Long.toUnsignedString(size)
                    + " is not supported (limit 2 GiB per section)");
        }
        return (int) size;
    }

    private static ByteBuffer inflate(ByteBuffer payload, int size, String what) {
        byte[] out = new byte[size];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(payload.duplicate());
            int done = 0;
            while (done < size) {
                int n = inflater.inflate(out, done, size - done);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                done += n;
            }
            if (done != size) {
                throw new ElfFormatException(what + ": zlib data ends after " + done + " of " + size + " bytes");
            }
        } catch (DataFormatException e) {
            throw new ElfFormatException(what + ": corrupt zlib data (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
        return ByteBuffer.wrap(out).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer unzstd(ByteBuffer payload, int size, String what) {
        byte[] in = new byte[payload.remaining()];
        payload.duplicate().get(in);
        byte[] out = new byte[size];
        int n;
        try {
            n = new ZstdDecompressor().decompress(in, 0, in.length, out, 0, size);
        } catch (RuntimeException e) {
            throw new ElfFormatException(what + ": corrupt zstd data (" + e.getMessage() + ")", e);
        }
        if (n != size) {
            throw new ElfFormatException(what + ": zstd data holds " + n + " of " + size + " bytes");
        }
        return ByteBuffer.wrap(out).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
