package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses a gzip file member by member like {@code gzip -d} does: concatenated members are one
 * stream, each member's CRC-32 and length are checked, and anything after the last member that is not
 * another member is an error (the JDK's {@code GZIPInputStream} silently ignores such trailing junk).
 * Errors are {@link DumpFormatException}s naming the compressed byte offset.
 */
final class GzipMembers extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED_FLAGS = 0xe0;

    private final Path file;
    private final InputStream in;
    private final byte[] input = new byte[1 << 16];
    private int inputPos;
    private int inputLimit;
    /** Compressed bytes consumed before {@code input[0]}. */
    private long inputStart;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberLength;
    private boolean inMember;
    private boolean finished;

    GzipMembers(Path file, InputStream in) throws IOException {
        this.file = file;
        this.in = in;
        readHeader();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (!finished) {
            if (!inMember) {
                nextMemberOrEnd();
                continue;
            }
            int n = inflate(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                memberLength += n;
                return n;
            }
            if (inflater.finished()) {
                inputPos = inputLimit - inflater.getRemaining();
                readTrailer();
                inMember = false;
            }
        }
        return -1;
    }

    private int inflate(byte[] b, int off, int len) throws IOException {
        try {
            if (inflater.needsInput()) {
                if (inputPos == inputLimit && !fillInput()) {
                    throw new DumpFormatException(file, "compressed byte offset " + offset()
                            + ": the gzip stream ends early (truncated .gz file)");
                }
                // The inflater owns these bytes now; what it leaves over is handed back when the member ends.
                inflater.setInput(input, inputPos, inputLimit - inputPos);
                inputPos = inputLimit;
            }
            return inflater.inflate(b, off, len);
        } catch (DataFormatException e) {
            throw corrupt("corrupt deflate data (" + e.getMessage() + ")");
        }
    }

    private void readHeader() throws IOException {
        long start = offset();
        if (nextByte() != 0x1f || nextByte() != 0x8b) {
            throw corruptAt(start, "expected the gzip magic 1f 8b");
        }
        if (nextByte() != 8) {
            throw corruptAt(start + 2, "unknown gzip compression method (only deflate, 8, exists)");
        }
        int flags = nextByte();
        if ((flags & RESERVED_FLAGS) != 0) {
            throw corruptAt(start + 3, "reserved gzip header flags are set");
        }
        skip(6); // mtime, extra flags, OS
        if ((flags & FEXTRA) != 0) {
            skip(nextByte() | nextByte() << 8);
        }
        if ((flags & FNAME) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            skipZeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            skip(2);
        }
        inflater.reset();
        crc.reset();
        memberLength = 0;
        inMember = true;
    }

    private void readTrailer() throws IOException {
        long at = offset();
        long storedCrc = nextByte() | nextByte() << 8 | nextByte() << 16 | (long) nextByte() << 24;
        long storedLength = nextByte() | nextByte() << 8 | nextByte() << 16 | (long) nextByte() << 24;
        if (storedCrc != crc.getValue()) {
            throw corruptAt(at, String.format("CRC-32 mismatch: the data gives %08x, the gzip trailer says %08x",
                    crc.getValue(), storedCrc));
        }
        if (storedLength != (memberLength & 0xffff_ffffL)) {
            throw corruptAt(at + 4, "length mismatch: the data is " + memberLength
                    + " bytes, the gzip trailer says " + storedLength + " (mod 2^32)");
        }
    }

    /** After a member: the end of the file, or another member; anything else is junk gzip would refuse. */
    private void nextMemberOrEnd() throws IOException {
        if (inputPos == inputLimit && !fillInput()) {
            finished = true;
            return;
        }
        if ((input[inputPos] & 0xff) != 0x1f) {
            throw corruptAt(offset(), "trailing garbage after the gzip data (gzip -d refuses this file too)");
        }
        readHeader();
    }

    private int nextByte() throws IOException {
        if (inputPos == inputLimit && !fillInput()) {
            throw new DumpFormatException(file, "compressed byte offset " + offset()
                    + ": the gzip stream ends early (truncated .gz file)");
        }
        return input[inputPos++] & 0xff;
    }

    private void skip(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            nextByte();
        }
    }

    private void skipZeroTerminated() throws IOException {
        while (nextByte() != 0) {
            // a file name or comment: not needed
        }
    }

    /** Reads more compressed bytes into an empty input buffer; false at the end of the file. */
    private boolean fillInput() throws IOException {
        inputStart += inputLimit;
        inputPos = 0;
        inputLimit = 0;
        int n = in.read(input, 0, input.length);
        if (n <= 0) {
            return false;
        }
        inputLimit = n;
        return true;
    }

    private long offset() {
        return inputStart + inputPos;
    }

    private DumpFormatException corrupt(String why) {
        return corruptAt(inputStart + inputLimit - inflater.getRemaining(), why);
    }

    private DumpFormatException corruptAt(long offset, String why) {
        return new DumpFormatException(file, "compressed byte offset " + offset + ": " + why);
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
