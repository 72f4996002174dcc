package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

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
            if (options.format() == null) {
                refuseKnownOtherFormats(file, src.window());
            }
            DumpFormat format = options.format() != null ? options.format() : detect(src.window());
            return format == DumpFormat.BINARY ? BinaryAreaReader.read(src, options) : TextListReader.read(src, options);
        }
    }

    /** Files handed over as dumps by mistake, by their first bytes, and what to say of each. */
    private record OtherFormat(byte[] magic, String what) {
    }

    private static final List<OtherFormat> OTHER_FORMATS = List.of(
            new OtherFormat(new byte[] {'P', 'K', 3, 4}, "a zip archive (a KCOV Explorer session, .kcovx?)"),
            new OtherFormat(new byte[] {0x7f, 'E', 'L', 'F'}, "an ELF file (a vmlinux or a module?)"),
            new OtherFormat(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, "zstd-compressed (decompress it first: gzip is the one compression read)"),
            new OtherFormat(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, "xz-compressed (decompress it first: gzip is the one compression read)"));

    /**
     * Refuses a file that is plainly something else, saying what it is: read as a kcov area, a session or a vmlinux
     * failed on its length or count word ("not a whole number of 4-byte words: truncated or not a kcov area"), which
     * did not tell the user what they had given. No kcov area starts so: as a count word each is tens of millions of
     * entries or more.
     */
    private static void refuseKnownOtherFormats(Path file, ByteBuffer head) throws DumpFormatException {
        for (OtherFormat other : OTHER_FORMATS) {
            if (startsWith(head, other.magic())) {
                throw new DumpFormatException(file, other.what() + ", expected a kcov area or a PC list");
            }
        }
    }

    private static boolean startsWith(ByteBuffer head, byte[] magic) {
        if (head.remaining() < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head.get(head.position() + i) != magic[i]) {
                return false;
            }
        }
        return true;
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
