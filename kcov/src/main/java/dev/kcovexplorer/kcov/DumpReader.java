package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads any coverage file: a binary kcov area (4- or 8-byte words, TRACE_PC or TRACE_CMP) or a text
 * PC list, either of them gzip-compressed. Everything not forced by {@link DumpOptions} is detected.
 * Bad input raises {@link DumpFormatException} naming the file, the offset or line, and what was expected.
 */
public final class DumpReader {
    private DumpReader() {
    }

    public static CoverageRun read(Path file) throws IOException {
        return read(file, DumpOptions.AUTO);
    }

    public static CoverageRun read(Path file, DumpOptions options) throws IOException {
        try (ByteSource src = ByteSource.open(file)) {
            if (src.available() == 0) {
                throw new DumpFormatException(file, src.gzipped() ? "empty after decompression, expected a kcov area or a PC list"
                        : "empty file, expected a kcov area or a PC list");
            }
            DumpFormat format = options.format() != null ? options.format() : detect(src.window());
            return format == DumpFormat.BINARY ? BinaryAreaReader.read(src, options) : TextListReader.read(src, options);
        }
    }

    /**
     * Text lists hold printable characters and line breaks only; a kcov area always has NUL or other
     * control bytes (the upper bytes of the count word are zero).
     */
    static DumpFormat detect(ByteBuffer head) {
        for (int i = head.position(); i < head.limit(); i++) {
            int c = head.get(i) & 0xff;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x0b || c == 0x7f) {
                return DumpFormat.BINARY;
            }
        }
        return DumpFormat.TEXT;
    }
}
