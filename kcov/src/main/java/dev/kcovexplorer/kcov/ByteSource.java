package dev.kcovexplorer.kcov;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A dump file as a stream of bytes in a 1 MiB little-endian window, decompressed when it starts with
 * the gzip magic. The first window is filled before anything is parsed, so readers can detect the
 * format from it; nothing ever holds the whole file. Only a regular file has a length known up front;
 * gzip data, pipes and devices are streams whose length is known once their end is reached.
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
        // A pipe or a device has no length to check a count against: it is read as a stream, like gzip. Not through a
        // FileChannel: JDK 17's stream over one asks the channel its position for available(), which the first read
        // calls and a pipe refuses ("Illegal seek": info <(zcat dump.gz) failed). A missing file still gets the
        // channel's NoSuchFileException.
        boolean stream = Files.exists(file) && !Files.isRegularFile(file);
        FileChannel channel = stream ? null : FileChannel.open(file, StandardOpenOption.READ);
        InputStream opened = stream ? new FileInputStream(file.toFile()) : Channels.newInputStream(channel);
        ByteSource source = null;
        try {
            InputStream raw = new BufferedInputStream(opened, 1 << 16);
            raw.mark(2);
            boolean gzip = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
            raw.reset();
            if (gzip) {
                source = new ByteSource(file, Channels.newChannel(new GzipMembers(file, raw)), true, -1);
            } else {
                source = new ByteSource(file, Channels.newChannel(raw), false, stream ? -1 : channel.size());
            }
            source.window.limit(0);
            source.fill();
            return source;
        } catch (IOException | RuntimeException e) {
            if (source != null) {
                source.close();
            } else {
                opened.close();
            }
            throw e;
        }
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
        while (window.hasRemaining()) {
            int read = channel.read(window);
            if (read < 0) {
                eof = true;
                break;
            }
        }
        window.flip();
        if (eof) {
            knownLength = windowStart + window.limit();
        }
    }

    /**
     * Reads to the end and returns the total length; a stream longer than {@code limit} bytes (an
     * endless device, a decompression bomb) is an error instead of a wait.
     */
    long drainToEnd(long limit, String what) throws IOException {
        while (knownLength < 0 && windowStart + window.limit() <= limit) {
            window.position(window.limit());
            fill();
        }
        if (knownLength < 0 || knownLength > limit) {
            throw DumpFormatException.atOffset(file, limit, "the data goes on past " + limit + " bytes, " + what);
        }
        return knownLength;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
