package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.TraceMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes recorded coverage as a kcov area dump, the format the explorer reads: little-endian 8-byte
 * words, word 0 the number of entries, then the PCs (or 4-word CMP records), written atomically. A
 * recording during which the kernel dropped entries ends without a free entry, so readers report the
 * area as overflowed; otherwise one free entry follows, as in an area that still had room
 * ({@link dev.kcovexplorer.kcov.DumpWriter} does the same for PC lists; this one also takes CMP records
 * straight from the agent's words).
 */
final class AreaDumpWriter {
    private AreaDumpWriter() {
    }

    static void write(Path target, TraceMode mode, long[] words, int wordCount, boolean overflowed)
            throws IOException {
        AtomicFiles.write(target, out -> {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putLong(wordCount / mode.wordsPerEntry());
            int total = wordCount + (overflowed ? 0 : mode.wordsPerEntry());
            for (int i = 0; i < total; i++) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putLong(i < wordCount ? words[i] : 0);
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }
}
