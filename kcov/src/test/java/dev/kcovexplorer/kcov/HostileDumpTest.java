package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.testing.Requirements;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dumps built to mislead the reader: each is refused with a message naming where and why. */
class HostileDumpTest {
    private static final long K = 0xffffffff81000000L;

    @TempDir
    Path dir;

    private static long[] pcs(int n) {
        long[] pcs = new long[n];
        for (int i = 0; i < n; i++) {
            pcs[i] = K + 0x100 + 8L * (i % 300);
        }
        return pcs;
    }

    @Test
    void aCountAboveTheEntryLimitIsRefusedBeforeAnythingIsAllocated() throws IOException {
        byte[] area = Areas.pcArea(8, pcs(100), 101);
        ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 536_870_911L);
        Path bomb = Areas.write(dir, "bomb.bin.gz", Areas.gzip(area));
        assertThatThrownBy(() -> DumpReader.read(bomb)).isInstanceOf(DumpFormatException.class)
                .hasMessage(bomb + ": byte offset 0: the count word says 536870911 entries, more than the limit of"
                        + " 268435456 (a corrupt count word? --max-entries or -Dkcovexplorer.maxEntries raises the limit)");
        Path plain = Areas.write(dir, "a.bin", Areas.pcArea(8, pcs(100), 101));
        assertThatThrownBy(() -> DumpReader.read(plain, DumpOptions.AUTO.withMaxEntries(99)))
                .hasMessageContaining("the count word says 100 entries, more than the limit of 99");
        assertThat(DumpReader.read(plain, DumpOptions.AUTO.withMaxEntries(100)).entries()).isEqualTo(100);
    }

    @Test
    void aCountReachingIntoTheZeroTailIsRefusedWhereTheDataEnds() throws IOException {
        // Past the entries the detection samples: the zeros must not become PC 0.
        int real = 5000;
        Path file = Areas.write(dir, "tail.bin", Areas.pcArea(8, pcs(real), 8192));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(6000).array());
        }
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": byte offset " + 8 * (real + 1) + ": PC 5000 is 0x0, which is no code address:"
                        + " the data ends after 5000 of the 6000 PCs the count word says (a corrupt count word,"
                        + " or one that counts the unused zero tail of the area)");
    }

    @Test
    void aSparseFileWhoseCountTheDataDoesNotBackIsRefusedWithoutReadingItAll() throws IOException {
        Path file = dir.resolve("sparse.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(Areas.pcArea(8, pcs(10), 11));
            raf.seek(0);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).array());
            raf.setLength(8L * 200_000_001L); // 1.6 GB of holes
        }
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessageContaining("byte offset 88: PC 10 is 0x0");
    }

    @Test
    void aCorruptUpperHalfOfThe64BitCountWordIsNotReadAsA32BitArea() throws IOException {
        byte[] area = Areas.pcArea(8, pcs(40), 64);
        area[7] = 0x10;
        Path file = Areas.write(dir, "count.bin", area);
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": byte offset 4: the upper half of the count word is 0x10000000, but the words"
                        + " after it are 8-byte PCs (40 of 40 share the upper half 0xffffffff): the count word is"
                        + " corrupt (if this really is a 32-bit area, force --word-size 4)");
        // A real 32-bit area still reads as one.
        long[] pcs32 = new long[40];
        for (int i = 0; i < pcs32.length; i++) {
            pcs32[i] = 0xc1000000L + 0x10L * i;
        }
        CoverageRun run32 = DumpReader.read(Areas.write(dir, "a32.bin", Areas.pcArea(4, pcs32, 64)));
        assertThat(run32.wordSize()).isEqualTo(4);
        assertThat(run32.trace()).containsExactly(pcs32);
        assertThat(run32.warnings()).isEmpty();
    }

    @Test
    void aWordSizeGuessedFromTooFewPcsSaysSo() throws IOException {
        CoverageRun run = DumpReader.read(Areas.write(dir, "few.bin", Areas.pcArea(4, new long[] {0xc1000010L}, 3)));
        assertThat(run.wordSize()).isEqualTo(4);
        assertThat(run.warnings()).singleElement().asString().contains("word size 4 guessed from only 0 word pairs");
    }

    @Test
    void gzipWithTrailingGarbageIsRefusedLikeGzipDoes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] gz = Areas.gzip(Areas.pcArea(8, pcs(10), 12));
        out.write(gz);
        out.write("junk after the stream".getBytes());
        Path file = Areas.write(dir, "junk.bin.gz", out.toByteArray());
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": compressed byte offset " + gz.length
                        + ": trailing garbage after the gzip data (gzip -d refuses this file too)");
    }

    @Test
    void concatenatedGzipMembersAreOneStreamAndACorruptCrcIsNamed() throws IOException {
        byte[] area = Areas.pcArea(8, pcs(10), 12);
        byte[] first = Areas.gzip(java.util.Arrays.copyOf(area, 40));
        byte[] second = Areas.gzip(java.util.Arrays.copyOfRange(area, 40, area.length));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(first);
        both.write(second);
        assertThat(DumpReader.read(Areas.write(dir, "two.bin.gz", both.toByteArray())).trace()).containsExactly(pcs(10));
        byte[] badCrc = first.clone();
        badCrc[badCrc.length - 8] ^= 1;
        Path file = Areas.write(dir, "crc.bin.gz", badCrc);
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessageContaining("compressed byte offset " + (first.length - 8) + ": CRC-32 mismatch");
    }

    @Test
    void aZeroBombAfterASmallCountStopsAtTheLargestAreaTheLimitAllows() throws IOException {
        Path file = dir.resolve("zeros.bin.gz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            gz.write(Areas.pcArea(8, pcs(10), 11));
            gz.write(new byte[64 << 20]);
        }
        // 1,000 entries of 8 bytes and the count word: two pages.
        assertThatThrownBy(() -> DumpReader.read(file, DumpOptions.AUTO.withMaxEntries(1000)))
                .isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": byte offset 8192: the data goes on past 8192 bytes, more than any kcov area"
                        + " holds within the entry limit (--max-entries or -Dkcovexplorer.maxEntries raises it)");
    }

    @Test
    void anEndlessDeviceIsNoEmptyFile() {
        Path urandom = Path.of("/dev/urandom");
        Requirements.require(Files.isReadable(urandom), "/dev/urandom is not readable here");
        assertThatThrownBy(() -> DumpReader.read(urandom)).isInstanceOf(DumpFormatException.class)
                .message().doesNotContain("empty").contains("/dev/urandom: byte offset");
    }
}
