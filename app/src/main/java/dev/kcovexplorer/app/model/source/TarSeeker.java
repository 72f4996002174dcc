package dev.kcovexplorer.app.model.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.tukaani.xz.SeekableXZInputStream;

/**
 * Reads one file of a source tarball on demand. Any tarball is read from its start up to the file; a multi-block
 * {@code .tar.xz} (Debian's) is read without decoding the archive up to it, so the first editor
 * shows its source in a second or two instead of after the whole unpack. In Debian's source tarballs (and
 * {@code git archive}'s) the files are in byte order of their paths, and every xz block can be decoded on its
 * own: a binary search over the blocks' first files finds the block holding the file. Directory entries are
 * passed over (tools place them differently). A tarball in another order is not an error: the file is then
 * simply not found here, and comes from the sequential pass.
 *
 * <p>A block starts in the middle of some file: its first entry is the first 512-byte record that is a valid
 * tar header (checksum and magic) whose name is under the archive's top directory.
 */
final class TarSeeker {
    private static final int RECORD = 512;
    /** How far into a block to look for its first header (a block of one huge file has none). */
    private static final long HEADER_SEARCH = 8L << 20;

    private final Path tarball;
    private final Map<Integer, Optional<Header>> firstHeaders = new ConcurrentHashMap<>();

    private record Header(long offset, byte[] name) {
    }

    TarSeeker(Path tarball) {
        this.tarball = tarball;
    }

    /**
     * The bytes of {@code path} (relative to the tarball's top directory), or empty when the binary search does
     * not find it (not in the archive, or the archive is not in name order).
     */
    Optional<byte[]> read(String path, BooleanSupplier cancelled) throws IOException {
        Optional<SeekableXZInputStream> opened = SourceArchive.seekable(tarball);
        if (opened.isEmpty()) {
            try (SourceArchive.Opened whole = SourceArchive.open(tarball, read -> { })) {
                return scan(whole.tar(), path, path.getBytes(StandardCharsets.UTF_8), cancelled);
            }
        }
        try (SeekableXZInputStream xz = opened.get()) {
            byte[] wanted = path.getBytes(StandardCharsets.UTF_8);
            int block = lastBlockNotAfter(xz, wanted, cancelled);
            // A block can start between a GNU long name and the header it names: that entry is then found by
            // starting one block earlier.
            for (int tries = 0; tries < 2 && block >= 0; tries++, block--) {
                Optional<Header> start = firstHeader(xz, block);
                if (start.isPresent()) {
                    Optional<byte[]> found = scan(xz, start.get().offset(), path, wanted, cancelled);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Reads entries from the header at {@code offset} until {@code wanted} or a name after it. */
    private Optional<byte[]> scan(SeekableXZInputStream xz, long offset, String path, byte[] wanted,
                                  BooleanSupplier cancelled) throws IOException {
        xz.seek(offset);
        return scan(new TarArchiveInputStream(new Unclosed(xz)), path, wanted, cancelled);
    }

    private Optional<byte[]> scan(TarArchiveInputStream tar, String path, byte[] wanted, BooleanSupplier cancelled)
            throws IOException {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("reading " + path + " from " + tarball + " was cancelled");
            }
            if (entry.isDirectory()) {
                continue;
            }
            int order = Arrays.compareUnsigned(relativeName(entry.getName()), wanted);
            if (order == 0 && entry.isFile()) {
                return Optional.of(tar.readAllBytes());
            }
            if (order > 0) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The last block whose first entry sorts at or before {@code wanted}, or -1 when the first one sorts after. */
    private int lastBlockNotAfter(SeekableXZInputStream xz, byte[] wanted, BooleanSupplier cancelled) throws IOException {
        int lo = 0;
        int hi = xz.getBlockCount() - 1;
        int best = -1;
        while (lo <= hi) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("searching " + tarball + " was cancelled");
            }
            int mid = (lo + hi) >>> 1;
            Optional<Header> header = firstHeader(xz, mid);
            if (header.isPresent() && Arrays.compareUnsigned(header.get().name(), wanted) > 0) {
                hi = mid - 1;
            } else {
                // A block without a header lies inside one big file that began earlier: its names come before.
                if (header.isPresent()) {
                    best = mid;
                }
                lo = mid + 1;
            }
        }
        return best;
    }

    private Optional<Header> firstHeader(SeekableXZInputStream xz, int block) throws IOException {
        Optional<Header> known = firstHeaders.get(block);
        if (known != null) {
            return known;
        }
        long start = xz.getBlockPos(block);
        long offset = (start + RECORD - 1) / RECORD * RECORD;
        xz.seek(offset);
        byte[] record = new byte[RECORD];
        Optional<Header> found = Optional.empty();
        for (long end = Math.min(xz.length(), start + HEADER_SEARCH); offset < end; offset += RECORD) {
            if (xz.readNBytes(record, 0, RECORD) < RECORD) {
                break;
            }
            if (isHeader(record)) {
                // Parsed by the tar reader from here, so that a GNU long name or pax path names the entry;
                // named by its first file, as directories sort differently in different tools.
                xz.seek(offset);
                TarArchiveInputStream tar = new TarArchiveInputStream(new Unclosed(xz));
                TarArchiveEntry entry = tar.getNextEntry();
                while (entry != null && entry.isDirectory()) {
                    entry = tar.getNextEntry();
                }
                if (entry != null) {
                    found = Optional.of(new Header(offset, relativeName(entry.getName())));
                }
                break;
            }
        }
        firstHeaders.put(block, found);
        return found;
    }

    private static boolean isHeader(byte[] record) {
        return TarArchiveInputStream.matches(record, RECORD) && TarUtils.verifyCheckSum(record);
    }

    /** The name under the top directory, without a directory's trailing slash. */
    static byte[] relativeName(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        int slash = trimmed.indexOf('/');
        return (slash < 0 ? "" : trimmed.substring(slash + 1)).getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps the shared xz stream open when a tar stream over it is dropped. */
    private static final class Unclosed extends FilterInputStream {
        Unclosed(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
