package dev.kcovexplorer.app.model.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the file-system member ({@code data.tar.xz}, {@code .zst}, {@code .gz}) of a Debian package. A .deb is an
 * {@code ar} archive: the magic {@code !<arch>\n}, then members, each a 60-byte header (name 16, dates and modes,
 * decimal size at 48..57) followed by its bytes padded to an even length.
 */
record DebArchive(Path file, String memberName, long offset, long size) {
    private static final byte[] MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);

    static DebArchive dataMember(Path deb) throws IOException {
        try (InputStream in = Files.newInputStream(deb)) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(deb + ": not a Debian package (no ar magic at offset 0)");
            }
            long offset = MAGIC.length;
            while (true) {
                byte[] header = in.readNBytes(60);
                if (header.length == 0) {
                    throw new IOException(deb + ": no data.tar member in the package");
                }
                if (header.length < 60) {
                    throw new IOException(deb + ": truncated ar header at offset " + offset);
                }
                String name = new String(header, 0, 16, StandardCharsets.US_ASCII).trim();
                if (name.endsWith("/")) {
                    name = name.substring(0, name.length() - 1);
                }
                long size;
                try {
                    size = Long.parseLong(new String(header, 48, 10, StandardCharsets.US_ASCII).trim());
                } catch (NumberFormatException e) {
                    throw new IOException(deb + ": bad member size in the ar header at offset " + offset);
                }
                offset += 60;
                if (name.startsWith("data.tar")) {
                    return new DebArchive(deb, name, offset, size);
                }
                long skip = size + (size & 1);
                in.skipNBytes(skip);
                offset += skip;
            }
        }
    }

    /** The decompressor command for the member, reading stdin and writing the tar stream to stdout. */
    String[] decompressor() throws IOException {
        if (memberName.endsWith(".xz")) {
            return new String[] {"xz", "-dc"};
        }
        if (memberName.endsWith(".zst")) {
            return new String[] {"zstd", "-dc"};
        }
        if (memberName.endsWith(".gz")) {
            return new String[] {"gzip", "-dc"};
        }
        throw new IOException(file + ": unsupported member " + memberName);
    }
}
