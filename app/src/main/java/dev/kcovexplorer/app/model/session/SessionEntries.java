package dev.kcovexplorer.app.model.session;

import dev.kcovexplorer.app.model.source.Sha256;
import dev.kcovexplorer.kcov.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The entries of a session's ZIP container, read only as far as they can be trusted: a name may occur
 * once; an entry is read up to the size the manifest declares (or a sane maximum for its kind when the
 * manifest is older than per-entry facts), never to what its inflated data would grow to; the bytes are
 * checked against the ZIP's CRC-32 and, when the manifest records one, their SHA-256. Buffers grow as
 * data arrives, so a header that lies about a size costs nothing.
 */
final class SessionEntries implements AutoCloseable {
    /** More entries than any session has: a central directory this long is an attack, not a session. */
    private static final int MAX_ENTRIES = 1 << 16;
    /**
     * An entry is read into one array of its stated size up to this (a whole kernel's index is ~35 MB:
     * no copies of a growing buffer); beyond it the buffer doubles as data arrives, so a lying header
     * costs at most this much.
     */
    private static final int PRESIZED_LIMIT = 64 << 20;
    private static final int END_RECORD = 22;

    /** The most a central directory read for {@link #readRecordChecked} may hold: far above 64k entries' names. */
    private static final long MAX_CENTRAL_BYTES = 16L << 20;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int LOCAL_HEADER = 0x04034b50;

    private final Path file;
    private final ZipFile zip;
    /** Where the central directory begins and how long it is, from the end record. */
    private final long centralOffset;
    private final long centralSize;

    private SessionEntries(Path file, ZipFile zip, long[] central) {
        this.file = file;
        this.zip = zip;
        this.centralOffset = central[0];
        this.centralSize = central[1];
    }

    static SessionEntries open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new SessionFormatException(file, "is a directory, expected a .kcovx session file");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException | java.io.EOFException e) {
            throw new SessionFormatException(file, "not a kcov-explorer session: expected a ZIP container ("
                    + e.getMessage() + "; truncated or another kind of file?)", e);
        }
        try {
            long[] central = checkEnd(file);
            checkNames(file, zip);
            return new SessionEntries(file, zip, central);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /**
     * Refuses bytes after the ZIP's end record: readers find the record by searching backwards and would
     * take an appended or damaged file as it is. Returns the central directory's offset and size.
     */
    private static long[] checkEnd(Path file) throws IOException {
        long size = Files.size(file);
        int tail = (int) Math.min(size, END_RECORD + 0xffff);
        // A file cut shorter since its size was taken reads as zeros: no end record in them.
        byte[] bytes = Objects.requireNonNullElseGet(readFile(file, size - tail, tail), () -> new byte[tail]);
        for (int at = tail - END_RECORD; at >= 0; at--) {
            if (bytes[at] == 'P' && bytes[at + 1] == 'K' && bytes[at + 2] == 5 && bytes[at + 3] == 6) {
                int comment = (bytes[at + 20] & 0xff) | (bytes[at + 21] & 0xff) << 8;
                if (at + END_RECORD + comment == tail) {
                    return checkStart(file, size - tail + at, bytes, at);
                }
            }
        }
        throw new SessionFormatException(file, "data follows the ZIP container's end record: the file was appended to "
                + "or is corrupt");
    }

    /**
     * Refuses bytes before the container: the central directory must end where the end record begins,
     * else readers take whatever precedes the ZIP (another file, another session) for a prefix to skip.
     */
    private static long[] checkStart(Path file, long endAt, byte[] tail, int at) throws SessionFormatException {
        java.nio.ByteBuffer end = java.nio.ByteBuffer.wrap(tail, at, END_RECORD).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long centralSize = Integer.toUnsignedLong(end.getInt(at + 12));
        long centralOffset = Integer.toUnsignedLong(end.getInt(at + 16));
        if (centralOffset != 0xffffffffL && centralOffset + centralSize != endAt) {
            throw new SessionFormatException(file, (endAt - centralSize - centralOffset) + " bytes precede the ZIP "
                    + "container: the file is not a session alone");
        }
        return new long[] {centralOffset, centralSize};
    }

    /** Refuses duplicate names (two readers could each take another one) and absurd entry counts. */
    private static void checkNames(Path file, ZipFile zip) throws SessionFormatException {
        if (zip.size() > MAX_ENTRIES) {
            throw new SessionFormatException(file, zip.size() + " ZIP entries, more than a session has (at most "
                    + MAX_ENTRIES + ")");
        }
        Set<String> seen = new HashSet<>();
        for (ZipEntry entry : Collections.list(zip.entries())) {
            if (!seen.add(entry.getName())) {
                throw new SessionFormatException(file, "the entry '" + Printable.of(entry.getName())
                        + "' occurs twice: a session names each entry once");
            }
        }
    }

    /** Every entry name, in the container's order. */
    List<String> names() {
        return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
    }

    /**
     * The bytes of entry {@code name}, checked.
     *
     * @param what     what the entry holds, for messages ("the kernel index")
     * @param maxBytes the most this kind of entry may hold
     * @param declared what the manifest says of it, or null (older sessions, or the manifest itself)
     */
    byte[] read(String name, String what, long maxBytes, SessionManifest.EntryFacts declared) throws IOException {
        byte[] data = readWithCrc(name, what, maxBytes, declared);
        if (declared != null && !Sha256.of(data).equals(declared.sha256())) {
            throw notWrittenData(name);
        }
        return data;
    }

    /**
     * {@link #read} for a large entry, with its SHA-256 computed on a thread of its own while the caller
     * decodes the same bytes: for the 45 MB kernel index the hash is about half of reading a session under
     * the C1 compiler the one-shot commands run with (it has no SHA intrinsic). The bytes are only as
     * trustworthy as {@link Hashed#verified()} says: the caller waits for it before it returns anything
     * decoded from them.
     */
    Hashed readHashingAside(String name, String what, long maxBytes, SessionManifest.EntryFacts declared)
            throws IOException {
        byte[] data = readWithCrc(name, what, maxBytes, declared);
        if (declared == null) {
            return new Hashed(data, null);
        }
        FutureTask<Boolean> check = new FutureTask<>(() -> Sha256.of(data).equals(declared.sha256()));
        Thread hasher = new Thread(check, "session-sha256");
        hasher.setDaemon(true);
        hasher.start();
        return new Hashed(data, () -> {
            boolean same;
            try {
                same = check.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while checking the SHA-256 of " + name);
            } catch (ExecutionException e) {
                // An Error (out of memory while hashing) stays one, for Main to report as such.
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("hashing " + name, e.getCause());
            }
            if (!same) {
                throw notWrittenData(name);
            }
        });
    }

    /**
     * The data of entry {@code name} when its record in the container hashes to the manifest's
     * {@code recordSha256}: for the kernel index 7.6 MB are hashed instead of the 45 MB they inflate to (the C1
     * compiler the window runs on has no SHA intrinsic: 0.4 s of CPU at the window's start). Only hashed bytes are
     * inflated, here rather than by the container's reader, so what is decoded is what was hashed; the data's
     * size and CRC-32 are checked as {@link #read} checks them. Null when the record is not the writer's (another
     * tool re-packed the session, or it is damaged) or does not inflate as the manifest says: only the data's own
     * SHA-256 can tell then, and the caller reads the entry through {@link #readHashingAside}, which says what is
     * wrong.
     */
    byte[] readRecordChecked(String name, long maxBytes, SessionManifest.EntryFacts declared) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null || declared.recordSha256() == null || entry.getSize() != declared.size()
                || declared.size() > maxBytes || centralSize > MAX_CENTRAL_BYTES) {
            return null;
        }
        long[] extent = recordExtent(name);
        if (extent == null || extent[1] - extent[0] > maxBytes + (maxBytes >> 6) + (1 << 17)) {
            return null;
        }
        byte[] record = readFile(file, extent[0], (int) (extent[1] - extent[0]));
        if (record == null || !recordHash(record, declared.sha256()).equals(declared.recordSha256())) {
            return null;
        }
        java.nio.ByteBuffer local = java.nio.ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (record.length < 30 || local.getInt(0) != LOCAL_HEADER || local.getShort(8) != 8) {
            return null; // the writer deflates every entry
        }
        long dataStart = 30L + Short.toUnsignedInt(local.getShort(26)) + Short.toUnsignedInt(local.getShort(28));
        long compressed = entry.getCompressedSize();
        if (compressed < 0 || dataStart + compressed > record.length) {
            return null;
        }
        byte[] data = inflate(record, (int) dataStart, (int) compressed, declared.size());
        if (data == null) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue() == entry.getCrc() ? data : null;
    }

    private static String recordHash(byte[] record, String dataSha256) {
        java.security.MessageDigest digest = Sha256.newDigest();
        digest.update(record);
        return recordHash(digest, dataSha256);
    }

    /**
     * What the writer records as {@code recordSha256} and the reader compares with it: {@code record} holds the
     * record's bytes, then the data's SHA-256 in hex goes in, so a match vouches for both (a manifest whose data hash
     * was changed is not taken on the record's word).
     */
    static String recordHash(java.security.MessageDigest record, String dataSha256) {
        record.update(dataSha256.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return java.util.HexFormat.of().formatHex(record.digest());
    }

    /**
     * Where entry {@code name}'s record lies in the file: from its local header to the next one's, or to the
     * central directory; null when the central directory cannot say (ZIP64 offsets, which no session needs).
     */
    private long[] recordExtent(String name) throws IOException {
        byte[] central = readFile(file, centralOffset, (int) centralSize);
        if (central == null) {
            return null;
        }
        java.nio.ByteBuffer dir = java.nio.ByteBuffer.wrap(central).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long start = -1;
        List<Long> offsets = new java.util.ArrayList<>();
        for (int at = 0; at + 46 <= central.length; ) {
            if (dir.getInt(at) != CENTRAL_HEADER) {
                return null;
            }
            int nameLength = Short.toUnsignedInt(dir.getShort(at + 28));
            int next = at + 46 + nameLength + Short.toUnsignedInt(dir.getShort(at + 30))
                    + Short.toUnsignedInt(dir.getShort(at + 32));
            long offset = Integer.toUnsignedLong(dir.getInt(at + 42));
            if (next > central.length || offset == 0xffffffffL) {
                return null;
            }
            offsets.add(offset);
            if (Arrays.equals(central, at + 46, at + 46 + nameLength, wanted, 0, wanted.length)) {
                start = offset;
            }
            at = next;
        }
        if (start < 0) {
            return null;
        }
        long end = centralOffset;
        for (long offset : offsets) {
            if (offset > start && offset < end) {
                end = offset;
            }
        }
        return end > start ? new long[] {start, end} : null;
    }

    /** {@code length} bytes of the file from {@code offset}, or null when it ends before them. */
    private static byte[] readFile(Path file, long offset, int length) throws IOException {
        byte[] bytes = new byte[length];
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    return null;
                }
            }
        }
        return bytes;
    }

    /** The deflated bytes inflated, when they make exactly {@code size} bytes; else null. */
    private static byte[] inflate(byte[] in, int offset, int length, long size) {
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        try {
            inflater.setInput(in, offset, length);
            byte[] data = new byte[(int) Math.min(size, PRESIZED_LIMIT)];
            int filled = 0;
            byte[] beyond = new byte[1];
            while (!inflater.finished()) {
                if (filled == size) {
                    // A full buffer may come before the stream's last code: it must end without another byte.
                    if (inflater.inflate(beyond) > 0 || !inflater.finished()) {
                        return null;
                    }
                    break;
                }
                if (filled == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(size, 2L * data.length));
                }
                int n = inflater.inflate(data, filled, data.length - filled);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null; // the deflate stream ends early
                }
                filled += n;
            }
            return filled == size && inflater.getRemaining() == 0 ? data : null;
        } catch (java.util.zip.DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** An entry's bytes, CRC-checked, while their SHA-256 may still be compared with the manifest's. */
    static final class Hashed {
        private final byte[] data;
        private final Verification verification;

        private Hashed(byte[] data, Verification verification) {
            this.data = data;
            this.verification = verification;
        }

        /** The bytes, for decoding only: not to be shown or returned before {@link #verified()}. */
        byte[] data() {
            return data;
        }

        /** Waits for the hash; a refusal when the bytes are not those the manifest describes. */
        void verified() throws IOException {
            if (verification != null) {
                verification.await();
            }
        }
    }

    @FunctionalInterface
    private interface Verification {
        void await() throws IOException;
    }

    private SessionFormatException notWrittenData(String name) {
        return new SessionFormatException(file, name + " is not the data the session was written with: its "
                + "SHA-256 differs from the manifest's");
    }

    /** The entry's bytes, checked against its stated size, the bound for its kind and the ZIP's CRC-32. */
    private byte[] readWithCrc(String name, String what, long maxBytes, SessionManifest.EntryFacts declared)
            throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new SessionFormatException(file, "missing entry '" + name + "' (expected " + what + ")");
        }
        long zipSize = entry.getSize();
        if (declared != null && zipSize != declared.size()) {
            throw new SessionFormatException(file, name + " holds " + zipSize + " bytes, the manifest says "
                    + declared.size() + " (truncated, or not the entry the session was written with)");
        }
        if (zipSize < 0 || zipSize > maxBytes) {
            throw new SessionFormatException(file, name + " (" + what + ") declares " + zipSize
                    + " bytes, more than the " + maxBytes + " such an entry may hold");
        }
        byte[] data = readAtMost(entry, name, zipSize);
        CRC32 crc = new CRC32();
        crc.update(data);
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new SessionFormatException(file, String.format("%s is corrupt: CRC-32 %08x, the ZIP says %08x",
                    name, crc.getValue(), entry.getCrc()));
        }
        return data;
    }

    /** Exactly {@code size} bytes of the entry, or a refusal naming what is wrong with them. */
    private byte[] readAtMost(ZipEntry entry, String name, long size) throws IOException {
        byte[] data = new byte[(int) Math.min(size, PRESIZED_LIMIT)];
        int filled = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            while (true) {
                if (filled == data.length) {
                    if (filled == size) {
                        if (in.read() >= 0) {
                            throw new SessionFormatException(file, name + " inflates to more than the " + size
                                    + " bytes its header declares (a ZIP bomb, or corrupt)");
                        }
                        return data;
                    }
                    data = Arrays.copyOf(data, (int) Math.min(size, 2L * data.length));
                }
                int n = in.read(data, filled, data.length - filled);
                if (n < 0) {
                    throw new SessionFormatException(file, name + " is truncated: " + filled + " of the " + size
                            + " bytes its header declares");
                }
                filled += n;
            }
        } catch (SessionFormatException e) {
            throw e;
        } catch (IOException e) {
            // ZipException, EOFException and the like: damaged headers or deflate data
            throw new SessionFormatException(file, name + " is corrupt (" + e + ")", e);
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
