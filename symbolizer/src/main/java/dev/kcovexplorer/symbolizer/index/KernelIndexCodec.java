package dev.kcovexplorer.symbolizer.index;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import dev.kcovexplorer.symbolizer.points.ComparisonType;

/**
 * The versioned binary form of a {@link KernelIndex}, shared by the index cache and session files.
 * Little-endian; a 24-byte header (magic {@code KCOVKIDX}, format version, CRC-32C of the payload,
 * payload length), then the payload: three strings, the counts, and the columns, each 8-byte aligned
 * so a memory-mapped file decodes with bulk reads. {@link #read} checks the checksum and every id and
 * range, so a damaged file is an {@link IndexFormatException}, never a broken index.
 *
 * <p>Version 3 appends the remote-section call sites ({@link RemoteSitesBlock}). Version 2 is still read:
 * old sessions open, and their index says it lacks remote sites; such an index is written as version 2
 * again, so it never claims sites it does not know.
 *
 * <p>Version 4 appends, after the remote sites, the comparison sites (8-byte aligned): their counts,
 * addresses, tail return addresses, chain starts (into the shared frame columns, after the points'),
 * tail candidate starts and candidates, and type bytes. An index without them is written as version 3.
 *
 * <p>Version 5 appends, after the comparison sites (8-byte aligned), the tail-call table's links to other
 * images ({@link TailCallLinksBlock}). An index without them is written as version 4.
 */
public final class KernelIndexCodec {
    public static final int FORMAT_VERSION = 5;
    /** The last version without tail-call links; still read. */
    public static final int VERSION_WITHOUT_TAIL_CALL_LINKS = 4;
    /** The last version without comparison sites; still read. */
    public static final int VERSION_WITHOUT_COMPARISONS = 3;
    /** The last version without remote-section call sites; still read. */
    public static final int VERSION_WITHOUT_REMOTE_SITES = 2;
    private static final byte[] MAGIC = "KCOVKIDX".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 24;

    private KernelIndexCodec() {
    }

    public static void write(KernelIndex index, OutputStream out) throws IOException {
        write(index, Channels.newChannel(out));
    }

    public static void write(KernelIndex index, WritableByteChannel out) throws IOException {
        ByteBuffer encoded = encode(index);
        while (encoded.hasRemaining()) {
            out.write(encoded);
        }
    }

    /** The complete encoding (header and payload), positioned at 0. */
    public static ByteBuffer encode(KernelIndex index) {
        byte[][] strings = new byte[index.stringCount()][];
        long blobSize = 0;
        for (int i = 0; i < strings.length; i++) {
            strings[i] = index.string(i).getBytes(StandardCharsets.UTF_8);
            blobSize += strings[i].length;
        }
        byte[] buildId = utf8(index.buildId());
        byte[] arch = utf8(index.arch());
        byte[] compDir = utf8(index.compDir());
        int points = index.pointCount();
        int frames = index.frameCount();
        int tails = index.tailReturnAddressCount();
        int candidates = index.rawTailCandidates().length;
        byte[] remote = index.hasRemoteSites() ? RemoteSitesBlock.encode(index.remoteSites()) : new byte[0];
        byte[] links = writesTailCallLinks(index) ? TailCallLinksBlock.encode(index.tailCallLinks()) : new byte[0];
        long size = remote.length + HEADER + align(12L + length(buildId) + length(arch) + length(compDir) + 20)
                + 8L * points + 8L * tails
                + 4L * (points + 1) + 20L * frames + 4L * (tails + 1) + 4L * candidates + 4L * (strings.length + 1)
                + points + blobSize + 64 + (writesComparisons(index) ? comparisonSitesSize(index) : 0)
                + links.length + 8;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kernel index too large to encode: " + size + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.position(HEADER);
        putString(b, buildId);
        putString(b, arch);
        putString(b, compDir);
        b.putInt(points).putInt(frames).putInt(strings.length).putInt(tails).putInt(candidates);
        pad(b);
        b.asLongBuffer().put(index.rawPoints());
        b.position(b.position() + 8 * points);
        b.asLongBuffer().put(index.rawTailReturnAddresses());
        b.position(b.position() + 8 * tails);
        putInts(b, index.rawChainStart());
        putInts(b, index.rawFrameFunction());
        putInts(b, index.rawFrameFile());
        putInts(b, index.rawFrameLine());
        putInts(b, index.rawFrameColumn());
        putInts(b, index.rawFrameLinkage());
        putInts(b, index.rawTailCandidateStart());
        putInts(b, index.rawTailCandidates());
        int offset = 0;
        b.putInt(0);
        for (byte[] s : strings) {
            offset += s.length;
            b.putInt(offset);
        }
        b.put(index.rawPointKinds());
        for (byte[] s : strings) {
            b.put(s);
        }
        if (index.hasRemoteSites()) {
            pad(b);
            b.put(remote);
        }
        if (writesComparisons(index)) {
            putComparisonSites(b, index);
        }
        if (writesTailCallLinks(index)) {
            pad(b);
            b.put(links);
        }
        int end = b.position();
        CRC32C crc = new CRC32C();
        crc.update(b.array(), HEADER, end - HEADER);
        b.position(0);
        b.put(MAGIC).putInt(versionOf(index))
                .putInt((int) crc.getValue()).putLong(end - HEADER);
        return b.position(0).limit(end);
    }

    /**
     * Decodes an index starting at the buffer's position and moves the position past it.
     *
     * @throws IndexFormatException when the bytes are no index of this format version, or damaged
     */
    public static KernelIndex read(ByteBuffer buffer) {
        ByteBuffer b = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        int version = formatVersion(b);
        if (version < VERSION_WITHOUT_REMOTE_SITES || version > FORMAT_VERSION) {
            throw new IndexFormatException("kernel index format version " + version + ", expected "
                    + VERSION_WITHOUT_REMOTE_SITES + " to " + FORMAT_VERSION);
        }
        long payload = b.getLong(16);
        if (payload < 0 || payload > b.limit() - HEADER) {
            throw new IndexFormatException("kernel index truncated: header announces " + payload + " bytes, "
                    + (b.limit() - HEADER) + " follow");
        }
        b.limit((int) (HEADER + payload));
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(HEADER));
        if ((int) crc.getValue() != b.getInt(12)) {
            throw new IndexFormatException("kernel index corrupt: checksum mismatch over bytes " + HEADER + ".."
                    + (HEADER + payload));
        }
        Decoder decoder = new Decoder(b.position(HEADER), version >= VERSION_WITHOUT_TAIL_CALL_LINKS);
        KernelIndex index = decoder.decode();
        if (version >= VERSION_WITHOUT_COMPARISONS) {
            b.position((int) align(b.position()));
            index = index.withRemoteSites(RemoteSitesBlock.decode(b));
        }
        if (version >= VERSION_WITHOUT_TAIL_CALL_LINKS) {
            index = decoder.comparisonSites(index);
        }
        if (version >= FORMAT_VERSION) {
            b.position((int) align(b.position()));
            index = index.withTailCallLinks(TailCallLinksBlock.decode(b, index.pointCount()));
        }
        buffer.position(buffer.position() + HEADER + (int) payload);
        return index;
    }

    /** The format version in an encoded header; {@link IndexFormatException} when it is no index at all. */
    public static int formatVersion(ByteBuffer encoded) {
        ByteBuffer b = encoded.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int at = b.position();
        if (b.remaining() < HEADER) {
            throw new IndexFormatException("kernel index truncated: " + b.remaining() + " bytes, the header alone is "
                    + HEADER);
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(at + i) != MAGIC[i]) {
                throw new IndexFormatException("not a kernel index: bad magic at offset " + i);
            }
        }
        return b.getInt(at + 8);
    }

    /** Reads the payload with bounds and consistency checks at every step. */
    private static final class Decoder {
        private final ByteBuffer b;
        /** Version 4: the points' chains end where the comparison sites' begin, not at the last frame. */
        private final boolean sharedFrames;

        Decoder(ByteBuffer b, boolean sharedFrames) {
            this.b = b;
            this.sharedFrames = sharedFrames;
        }

        KernelIndex decode() {
            try {
                String buildId = string();
                String arch = string();
                String compDir = string();
                if (arch == null) {
                    throw fail("architecture missing");
                }
                int points = count("points");
                int frames = count("frames");
                int strings = count("strings");
                int tails = count("tail entries");
                int candidates = count("tail candidates");
                b.position((int) align(b.position()));
                long[] pointAddresses = longs(points);
                long[] tailReturns = longs(tails);
                int[] chainStart = sharedFrames ? ascendingWithin(ints(points + 1), frames, "chain starts")
                        : ascending(ints(points + 1), frames, "chain starts");
                int[] function = ids(ints(frames), strings, "frame function");
                int[] file = ids(ints(frames), strings, "frame file");
                int[] line = ints(frames);
                int[] column = ints(frames);
                int[] linkage = ints(frames);
                int[] candidateStart = ascending(ints(tails + 1), candidates, "tail candidate starts");
                int[] candidatePoints = ids(ints(candidates), points, "tail candidate");
                int[] stringOffsets = ints(strings + 1);
                byte[] kinds = bytes(points);
                int blob = stringOffsets[strings];
                ascending(stringOffsets, blob, "string offsets");
                for (int i = 0; i < frames; i++) {
                    if (linkage[i] != KernelIndex.NO_LINKAGE && (linkage[i] < 0 || linkage[i] >= strings)) {
                        throw fail("frame linkage " + i + " refers to " + linkage[i] + " of " + strings);
                    }
                }
                byte[] text = bytes(blob);
                String[] table = new String[strings];
                for (int i = 0; i < strings; i++) {
                    table[i] = new String(text, stringOffsets[i], stringOffsets[i + 1] - stringOffsets[i],
                            StandardCharsets.UTF_8);
                }
                return new KernelIndex(buildId, arch, compDir, pointAddresses, kinds, chainStart, function, file, line,
                        column, linkage, table, tailReturns, candidateStart, candidatePoints);
            } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
                throw fail("truncated or inconsistent (" + e.getMessage() + ")");
            }
        }

        /** The version-4 block: sites whose chains run from where the points' end to the last frame. */
        KernelIndex comparisonSites(KernelIndex index) {
            try {
                int firstFrame = index.rawChainStart()[index.pointCount()];
                int frames = index.frameCount();
                b.position((int) align(b.position()));
                int sites = count("comparison sites");
                int tails = count("comparison tail entries");
                int candidates = count("comparison tail candidates");
                b.getInt();
                long[] addresses = longs(sites);
                for (int i = 1; i < sites; i++) {
                    if (addresses[i] <= addresses[i - 1]) {
                        throw fail("comparison sites are not sorted and distinct at site " + i);
                    }
                }
                long[] tailReturns = longs(tails);
                int[] chainStart = ascendingWithin(ints(sites + 1), frames, "comparison-site chain starts");
                if (chainStart[0] != firstFrame || chainStart[sites] != frames) {
                    throw fail("comparison-site chains must run from frame " + firstFrame + " to " + frames);
                }
                int[] candidateStart = ascending(ints(tails + 1), candidates, "comparison tail candidate starts");
                int[] candidateSites = ids(ints(candidates), sites, "comparison tail candidate");
                byte[] types = bytes(sites);
                for (int i = 0; i < sites; i++) {
                    if (!ComparisonType.isValid(types[i])) {
                        throw fail("comparison site " + i + " has the invalid type " + types[i]);
                    }
                }
                return index.withComparisonSites(addresses, types, chainStart, tailReturns, candidateStart,
                        candidateSites);
            } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
                throw fail("truncated or inconsistent comparison sites (" + e.getMessage() + ")");
            }
        }

        private int[] ascendingWithin(int[] starts, int limit, String what) {
            if (starts[0] < 0 || starts[starts.length - 1] > limit) {
                throw fail(what + " must lie within 0.." + limit);
            }
            for (int i = 1; i < starts.length; i++) {
                if (starts[i] < starts[i - 1]) {
                    throw fail(what + " decrease at entry " + i);
                }
            }
            return starts;
        }

        private IndexFormatException fail(String what) {
            return new IndexFormatException("kernel index corrupt at offset " + b.position() + ": " + what);
        }

        private String string() {
            int length = b.getInt();
            if (length == -1) {
                return null;
            }
            byte[] bytes = bytes(length);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private int count(String what) {
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw fail("impossible count of " + what + ": " + n);
            }
            return n;
        }

        private byte[] bytes(int n) {
            if (n < 0 || n > b.remaining()) {
                throw fail(n + " bytes expected, " + b.remaining() + " left");
            }
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        private long[] longs(int n) {
            if ((long) n * 8 > b.remaining()) {
                throw fail(n + " addresses expected, " + b.remaining() + " bytes left");
            }
            long[] out = new long[n];
            b.asLongBuffer().get(out);
            b.position(b.position() + 8 * n);
            return out;
        }

        private int[] ints(int n) {
            if ((long) n * 4 > b.remaining()) {
                throw fail(n + " ints expected, " + b.remaining() + " bytes left");
            }
            int[] out = new int[n];
            b.asIntBuffer().get(out);
            b.position(b.position() + 4 * n);
            return out;
        }

        private int[] ascending(int[] starts, int end, String what) {
            if (starts[0] != 0 || starts[starts.length - 1] != end) {
                throw fail(what + " must run from 0 to " + end);
            }
            for (int i = 1; i < starts.length; i++) {
                if (starts[i] < starts[i - 1]) {
                    throw fail(what + " decrease at entry " + i);
                }
            }
            return starts;
        }

        private int[] ids(int[] ids, int limit, String what) {
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] >= limit) {
                    throw fail(what + " " + i + " refers to " + ids[i] + " of " + limit);
                }
            }
            return ids;
        }
    }

    /** The version {@link #encode} writes for this index: an old session's index stays what it was. */
    public static int versionOf(KernelIndex index) {
        return writesTailCallLinks(index) ? FORMAT_VERSION : writesComparisons(index) ? VERSION_WITHOUT_TAIL_CALL_LINKS
                : index.hasRemoteSites() ? VERSION_WITHOUT_COMPARISONS : VERSION_WITHOUT_REMOTE_SITES;
    }

    /** Comparison sites travel with remote sites (version 4 has both); an index made by this version has both. */
    private static boolean writesComparisons(KernelIndex index) {
        return index.hasComparisonSites() && index.hasRemoteSites();
    }

    /** Links travel with comparison and remote sites (version 5 has all three). */
    private static boolean writesTailCallLinks(KernelIndex index) {
        return index.hasTailCallLinks() && writesComparisons(index);
    }

    private static long comparisonSitesSize(KernelIndex index) {
        KernelIndex c = index.comparisonSites();
        int sites = c.pointCount();
        int tails = c.tailReturnAddressCount();
        return 8 + 16 + 8L * sites + 8L * tails + 4L * (sites + 1) + 4L * (tails + 1) + 4L * c.rawTailCandidates().length
                + sites;
    }

    private static void putComparisonSites(ByteBuffer b, KernelIndex index) {
        pad(b);
        KernelIndex c = index.comparisonSites();
        b.putInt(c.pointCount()).putInt(c.tailReturnAddressCount()).putInt(c.rawTailCandidates().length).putInt(0);
        b.asLongBuffer().put(c.rawPoints());
        b.position(b.position() + 8 * c.pointCount());
        b.asLongBuffer().put(c.rawTailReturnAddresses());
        b.position(b.position() + 8 * c.tailReturnAddressCount());
        putInts(b, c.rawChainStart());
        putInts(b, c.rawTailCandidateStart());
        putInts(b, c.rawTailCandidates());
        b.put(c.rawPointKinds());
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int length(byte[] s) {
        return s == null ? 0 : s.length;
    }

    private static void putString(ByteBuffer b, byte[] s) {
        if (s == null) {
            b.putInt(-1);
        } else {
            b.putInt(s.length).put(s);
        }
    }

    private static void putInts(ByteBuffer b, int[] values) {
        b.asIntBuffer().put(values);
        b.position(b.position() + 4 * values.length);
    }

    private static void pad(ByteBuffer b) {
        while (b.position() % 8 != 0) {
            b.put((byte) 0);
        }
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
