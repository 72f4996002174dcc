package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes runs and PC sets as text lists or binary kcov areas, atomically (see {@link AtomicFiles}).
 * Both read back with {@link DumpReader} into the same PCs, kind and overflow state.
 */
public final class DumpWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private DumpWriter() {
    }

    /**
     * One {@code 0x} address per line after a comment header; the {@code # pc-kind:} line lets the
     * reader restore what the PCs are.
     */
    public static void writeText(Path out, long[] pcs, PcKind kind, String comment) throws IOException {
        AtomicFiles.write(out, stream -> {
            StringBuilder header = new StringBuilder();
            for (String line : comment.split("\n")) {
                header.append("# ").append(line).append('\n');
            }
            header.append("# pc-kind: ").append(kind.id()).append('\n');
            stream.write(header.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            writeHexLines(stream, pcs);
        });
    }

    private static void writeHexLines(OutputStream stream, long[] pcs) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int n = 0;
        for (long pc : pcs) {
            if (n > buffer.length - 20) {
                stream.write(buffer, 0, n);
                n = 0;
            }
            buffer[n++] = '0';
            buffer[n++] = 'x';
            int digits = Math.max(1, 16 - Long.numberOfLeadingZeros(pc) / 4);
            for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
                buffer[n++] = HEX[(int) (pc >>> shift) & 0xf];
            }
            buffer[n++] = '\n';
        }
        stream.write(buffer, 0, n);
    }

    /**
     * A kcov area with {@code wordSize}-byte words: the count, the trace (PC mode) or the records
     * (CMP mode), and, unless the run overflowed, one free entry so that the area does not read back
     * as full.
     */
    public static void writeBinary(Path out, CoverageRun run, int wordSize) throws IOException {
        writeArea(out, run.trace(), run.cmp(), run.entries(), run.mode().wordsPerEntry(), run.overflowed(), wordSize);
    }

    /** A TRACE_PC area holding {@code trace} and one free entry. */
    public static void writePcArea(Path out, long[] trace, int wordSize) throws IOException {
        writeArea(out, trace, null, trace.length, 1, false, wordSize);
    }

    private static void writeArea(Path out, long[] trace, CmpRecords cmp, int entries, int entryWords,
                                  boolean overflowed, int wordSize) throws IOException {
        if (wordSize != 4 && wordSize != 8) {
            throw new IllegalArgumentException("word size must be 4 or 8 bytes, not " + wordSize);
        }
        AtomicFiles.write(out, stream -> {
            AreaWriter area = new AreaWriter(stream, wordSize, out);
            area.put(entries);
            for (int i = 0; i < entries; i++) {
                if (cmp == null) {
                    area.put(trace[i]);
                } else {
                    area.put(cmp.type(i));
                    area.put(cmp.arg1(i));
                    area.put(cmp.arg2(i));
                    area.put(cmp.ip(i));
                }
            }
            if (!overflowed) {
                for (int i = 0; i < entryWords; i++) {
                    area.put(0);
                }
            }
            area.flush();
        });
    }

    /** Little-endian words through a reusable buffer. */
    private static final class AreaWriter {
        private final OutputStream stream;
        private final int wordSize;
        private final Path out;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        AreaWriter(OutputStream stream, int wordSize, Path out) {
            this.stream = stream;
            this.wordSize = wordSize;
            this.out = out;
        }

        void put(long word) throws IOException {
            if (buffer.remaining() < wordSize) {
                flush();
            }
            if (wordSize == 8) {
                buffer.putLong(word);
            } else {
                if ((word >>> 32) != 0) {
                    throw new IOException(out + ": 0x" + Long.toHexString(word)
                            + " does not fit in a 4-byte word; write 8-byte words");
                }
                buffer.putInt((int) word);
            }
        }

        void flush() throws IOException {
            stream.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
