package dev.kcovexplorer.kcov;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A dump file as a stream of bytes in a 1 MiB little-endian window, decompressed when it starts with
 * the gzip magic. The first window is filled before anything is parsed, so readers can detect the
 * format from it; nothing ever holds the whole file.
 */
final class ByteSource implements Closeable {
    static final int WINDOW = 1 << 20;
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private final Path file;
    private final ReadableByteChannel channel;
    private final boolean gzipped;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart;
    private boolean eof;
    private long knownLength;

    private ByteSource(Path file, ReadableByteChannel channel, boolean gzipped, long knownLength) {
        this.file = file;
        this.channel = channel;
        this.gzipped = gzipped;
        this.knownLength = knownLength;
    }

    static ByteSource open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new DumpFormatException(file, "is a directory, expected a kcov dump or a PC list");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ByteSource source = null;
        try {
            ByteBuffer magic = ByteBuffer.allocate(2);
            while (magic.hasRemaining() && channel.read(magic) >= 0) {
                // A regular file fills two bytes at once unless it is shorter.
            }
            channel.position(0);
            boolean gzip = magic.position() == 2
                    && (magic.get(0) & 0xff) == GZIP_MAGIC_0 && (magic.get(1) & 0xff) == GZIP_MAGIC_1;
            if (gzip) {
                GZIPInputStream in = new GZIPInputStream(Channels.newInputStream(channel), 1 << 16);
                source = new ByteSource(file, Channels.newChannel(in), true, -1);
            } else {
                source = new ByteSource(file, channel, false, channel.size());
            }
            source.window.limit(0);
            source.fill();
            return source;
        } catch (ZipException | EOFException e) {
            channel.close();
            throw corruptGzip(file, 0, e);
        } catch (IOException | RuntimeException e) {
            if (source != null) {
                source.close();
            } else {
                channel.close();
            }
            throw e;
        }
    }

    private static DumpFormatException corruptGzip(Path file, long offset, IOException cause) {
        String why = cause instanceof EOFException ? "the gzip stream ends early (truncated .gz file)"
                : "corrupt gzip data (" + cause.getMessage() + ")";
        DumpFormatException e = new DumpFormatException(file,
                "decompressed byte offset " + offset + ": " + why);
        e.initCause(cause);
        return e;
    }

    Path file() {
        return file;
    }

    boolean gzipped() {
        return gzipped;
    }

    /** The total (decompressed) length, or -1 while a gzip stream has not been read to its end. */
    long knownLength() {
        return knownLength;
    }

    /** The window: bytes from {@link #position()} to its limit are available. */
    ByteBuffer window() {
        return window;
    }

    /** Absolute (decompressed) offset of the window's position. */
    long position() {
        return windowStart + window.position();
    }

    int available() {
        return window.remaining();
    }

    /**
     * Moves the unread bytes to the front and reads more. Returns false when nothing more came
     * because the stream ended.
     */
    boolean refill() throws IOException {
        if (eof) {
            return false;
        }
        int before = window.remaining();
        fill();
        return window.remaining() > before;
    }

    private void fill() throws IOException {
        windowStart += window.position();
        window.compact();
        try {
            while (window.hasRemaining()) {
                int read = channel.read(window);
                if (read < 0) {
                    eof = true;
                    break;
                }
            }
        } catch (ZipException | EOFException e) {
            window.flip();
            throw corruptGzip(file, windowStart + window.limit(), e);
        }
        window.flip();
        if (eof) {
            knownLength = windowStart + window.limit();
        }
    }

    /** Reads to the end and returns the total length. */
    long drainToEnd() throws IOException {
        while (knownLength < 0) {
            window.position(window.limit());
            fill();
        }
        return knownLength;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
