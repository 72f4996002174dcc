package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.TraceMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes coverage as a kcov area dump, the format the explorer reads: little-endian 8-byte words, word 0
 * the number of entries, then the PCs (or 4-word CMP records). Written to a temporary file next to the
 * target and renamed, so a reader never sees half a dump.
 */
final class AreaDumpWriter {
    private AreaDumpWriter() {
    }

    static void write(Path target, TraceMode mode, long[] words, int wordCount) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                chunk.putLong(wordCount / mode.wordsPerEntry());
                for (int i = 0; i < wordCount; i++) {
                    if (!chunk.hasRemaining()) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    chunk.putLong(words[i]);
                }
                out.write(chunk.array(), 0, chunk.position());
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
