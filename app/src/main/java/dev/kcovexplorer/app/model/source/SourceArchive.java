package dev.kcovexplorer.app.model.source;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tukaani.xz.SeekableFileInputStream;
import org.tukaani.xz.SeekableXZInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Opens kernel source archives in pure Java: {@code .tar.xz} (tukaani xz), {@code .tar.gz}/{@code .tgz} and
 * {@code .tar} (commons-compress), and the {@code usr/src/NAME.tar.xz} inside a Debian package. The xz and gzip
 * decoders check their CRCs, so a stream read to its end is a stream read whole.
 */
final class SourceArchive {
    private static final int BUFFER = 1 << 16;

    private SourceArchive() {
    }

    static boolean isTarball(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".tar.xz") || name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".tar");
    }

    /** A tar stream and the decompressed stream under it, which must be read to its end to check the archive. */
    record Opened(TarArchiveInputStream tar, InputStream decompressed) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            decompressed.close();
        }
    }

    /**
     * The tarball as a tar stream from its first entry; {@code compressedRead} hears how many bytes of the file
     * were consumed so far (for progress).
     */
    static Opened open(Path tarball, LongConsumer compressedRead) throws IOException {
        InputStream counted = new Counting(new BufferedInputStream(Files.newInputStream(tarball), BUFFER), compressedRead);
        String name = tarball.getFileName().toString();
        try {
            InputStream decompressed;
            if (name.endsWith(".xz")) {
                decompressed = new BufferedInputStream(new XZInputStream(counted), BUFFER);
            } else if (name.endsWith(".gz") || name.endsWith(".tgz")) {
                decompressed = new BufferedInputStream(new GzipCompressorInputStream(counted, true), BUFFER);
            } else {
                decompressed = counted;
            }
            return new Opened(new TarArchiveInputStream(decompressed), decompressed);
        } catch (IOException e) {
            counted.close();
            throw new IOException(tarball + ": not a readable " + name.substring(name.indexOf(".tar")) + " archive ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * A seekable view of a {@code .tar.xz} made of several xz blocks (Debian's are 24 MiB blocks), in which
     * one file can be read without decoding what comes before it; empty for any other tarball.
     */
    static Optional<SeekableXZInputStream> seekable(Path tarball) throws IOException {
        if (!tarball.getFileName().toString().endsWith(".tar.xz")) {
            return Optional.empty();
        }
        SeekableFileInputStream file = new SeekableFileInputStream(tarball.toFile());
        try {
            SeekableXZInputStream xz = new SeekableXZInputStream(file);
            if (xz.getBlockCount() > 1) {
                return Optional.of(xz);
            }
            xz.close();
            return Optional.empty();
        } catch (IOException e) {
            file.close();
            throw new IOException(tarball + ": not a readable .tar.xz (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The stream of {@code member} (e.g. {@code usr/src/linux-source-6.1.tar.xz}) inside a Debian package's
     * {@code data.tar.xz} / {@code data.tar.gz} / {@code data.tar}. The caller closes it.
     */
    static InputStream debMember(Path deb, String member, LongConsumer compressedRead) throws IOException {
        InputStream counted = new Counting(new BufferedInputStream(Files.newInputStream(deb), BUFFER), compressedRead);
        try {
            ArArchiveInputStream ar = new ArArchiveInputStream(counted);
            for (ArArchiveEntry entry = nextAr(ar, deb); entry != null; entry = nextAr(ar, deb)) {
                String name = entry.getName();
                if (!name.startsWith("data.tar")) {
                    continue;
                }
                InputStream data = name.endsWith(".xz") ? new XZInputStream(ar)
                        : name.endsWith(".gz") ? new GzipCompressorInputStream(ar) : name.equals("data.tar") ? ar : null;
                if (data == null) {
                    throw new IOException(deb + ": unsupported package member " + name + " (expected data.tar.xz or .gz)");
                }
                TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(data, BUFFER));
                for (TarArchiveEntry file = tar.getNextEntry(); file != null; file = tar.getNextEntry()) {
                    String path = file.getName().startsWith("./") ? file.getName().substring(2) : file.getName();
                    if (path.equals(member) && file.isFile()) {
                        return tar;
                    }
                }
                throw new IOException(deb + ": the package has no " + member);
            }
            throw new IOException(deb + ": no data.tar member in the package");
        } catch (IOException e) {
            counted.close();
            throw e;
        }
    }

    private static ArArchiveEntry nextAr(ArArchiveInputStream ar, Path deb) throws IOException {
        try {
            return ar.getNextEntry();
        } catch (IOException e) {
            throw new IOException(deb + ": not a Debian package (" + e.getMessage() + ")", e);
        }
    }

    /** Reports the bytes read through it. */
    private static final class Counting extends FilterInputStream {
        private final LongConsumer onRead;
        private long count;

        Counting(InputStream in, LongConsumer onRead) {
            super(in);
            this.onRead = onRead;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                onRead.accept(++count);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                onRead.accept(count);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            onRead.accept(count);
            return skipped;
        }
    }
}
