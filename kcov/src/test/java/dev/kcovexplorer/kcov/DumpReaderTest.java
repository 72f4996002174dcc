package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpReaderTest {
    private static final long K = 0xffffffff81000000L;
    private static final long[] TRACE = {K + 0x105, K + 0x20a, K + 0x105, K + 0x3f5, K + 0x105, K + 0x20a};

    @TempDir
    Path dir;

    @Test
    void reads64BitPcAreaInExecutionOrderAndCountsHits() throws IOException {
        Path file = Areas.write(dir, "a.bin", Areas.pcArea(8, TRACE, 64));
        CoverageRun run = DumpReader.read(file);
        assertThat(run.format()).isEqualTo(DumpFormat.BINARY);
        assertThat(run.wordSize()).isEqualTo(8);
        assertThat(run.mode()).isEqualTo(TraceMode.PC);
        assertThat(run.pcKind()).isEqualTo(PcKind.RETURN_ADDRESS);
        assertThat(run.trace()).containsExactly(TRACE);
        assertThat(run.uniquePcs()).containsExactly(K + 0x105, K + 0x20a, K + 0x3f5);
        assertThat(run.hitCounts()).containsExactly(3, 2, 1);
        assertThat(run.overflowed()).isFalse();
        assertThat(run.cmp()).isNull();
        assertThat(run.declaredCount()).isEqualTo(6);
    }

    /**
     * A dump read from a pipe (`info <(zcat dump.gz)`, `<(ssh vm cat …)`): the same run as from the file. On the old code
     * the first read failed with "Illegal seek", the JDK's stream over the pipe's FileChannel asking its position.
     */
    @Test
    void readsAnAreaFromAPipe() throws Exception {
        Path area = Areas.write(dir, "a.bin", Areas.pcArea(8, TRACE, 64));
        Path pipe = dir.resolve("a.pipe");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).isZero();
        Thread writer = new Thread(() -> {
            try {
                Files.write(pipe, Files.readAllBytes(area));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        writer.start();
        try {
            CoverageRun run = DumpReader.read(pipe);
            assertThat(run.trace()).containsExactly(TRACE);
            assertThat(run.hitCounts()).containsExactly(3, 2, 1);
        } finally {
            writer.join(60_000);
        }
    }

    @Test
    void reads32BitPcArea() throws IOException {
        long[] pcs = {0xc1000105L, 0xc1000200L, 0xc1000105L};
        CoverageRun run = DumpReader.read(Areas.write(dir, "a32.bin", Areas.pcArea(4, pcs, 16)));
        assertThat(run.wordSize()).isEqualTo(4);
        assertThat(run.trace()).containsExactly(pcs);
        assertThat(run.uniquePcs()).containsExactly(0xc1000105L, 0xc1000200L);
    }

    @Test
    void reads64BitCmpAreaIntoColumns() throws IOException {
        long[] records = {
            1, 0x10, 0x20, K + 0x50,          // constant, 1-byte operands
            6, -1, 7, K + 0x60,               // 8-byte operands
            3, 5, 5, K + 0x50};
        CoverageRun run = DumpReader.read(Areas.write(dir, "c.bin", Areas.cmpArea(8, records, 32)));
        assertThat(run.mode()).isEqualTo(TraceMode.CMP);
        CmpRecords cmp = run.cmp();
        assertThat(cmp.size()).isEqualTo(3);
        assertThat(cmp.isConstant(0)).isTrue();
        assertThat(cmp.operandSize(0)).isEqualTo(1);
        assertThat(cmp.operandSize(1)).isEqualTo(8);
        assertThat(cmp.operandSize(2)).isEqualTo(2);
        assertThat(cmp.arg1(1)).isEqualTo(-1);
        assertThat(cmp.ips()).containsExactly(K + 0x50, K + 0x60, K + 0x50);
        assertThat(run.trace()).isEmpty();
        assertThat(run.uniquePcs()).containsExactly(K + 0x50, K + 0x60);
        assertThat(run.hitCounts()).containsExactly(2, 1);
    }

    @Test
    void reads32BitCmpAreaWhenTheWordSizeIsForced() throws IOException {
        long[] records = {0, 1, 2, 0xc1000010L, 2, 3, 4, 0xc1000020L};
        Path file = Areas.write(dir, "c32.bin", Areas.cmpArea(4, records, 12));
        CoverageRun run = DumpReader.read(file, DumpOptions.AUTO.withWordSize(4));
        assertThat(run.mode()).isEqualTo(TraceMode.CMP);
        assertThat(run.cmp().ips()).containsExactly(0xc1000010L, 0xc1000020L);
    }

    @Test
    void fullAreaIsReportedAsOverflow() throws IOException {
        long[] full = new long[Areas.PAGE / 8 - 1];
        for (int i = 0; i < full.length; i++) {
            full[i] = TRACE[i % TRACE.length];
        }
        CoverageRun run = DumpReader.read(Areas.write(dir, "full.bin", Areas.pcArea(8, full, Areas.PAGE / 8)));
        assertThat(run.overflowed()).isTrue();
        assertThat(run.warnings()).containsExactly(
                "area overflowed: coverage after entry 511 was dropped by the kernel");
    }

    /**
     * kcov writes a CMP record only while all four words fit, so a full one-page area holds 127 records and
     * 3 spare words; a collector that writes just the count and the records leaves a file 3 words short of
     * the page, and that is still a full area.
     */
    @Test
    void cmpRecordsThatLeaveNoRoomForAnotherInTheirPagesFilledTheArea() throws IOException {
        int records = (Areas.PAGE / 8 - 1) / 4;
        long[] words = new long[records * 4];
        for (int r = 0; r < records; r++) {
            words[4 * r] = 1;
            words[4 * r + 1] = r;
            words[4 * r + 2] = r + 1;
            words[4 * r + 3] = K + 0x50 + 16L * (r % 7);
        }
        CoverageRun run = DumpReader.read(Areas.write(dir, "full-cmp.bin", Areas.cmpArea(8, words, 1 + words.length)));
        assertThat(run.overflowed()).isTrue();
        assertThat(run.warnings()).containsExactly(
                "area overflowed: coverage after entry 127 was dropped by the kernel");

        long[] fewer = java.util.Arrays.copyOf(words, words.length - 4);
        CoverageRun roomLeft = DumpReader.read(Areas.write(dir, "cmp-room.bin", Areas.cmpArea(8, fewer, 1 + fewer.length)));
        assertThat(roomLeft.overflowed()).as("a record's room left in the page").isFalse();
    }

    @Test
    void aFileHoldingJustItsEntriesIsNoOverflow() throws IOException {
        // What most collectors write: the count word and count PCs, not the whole mapped area.
        CoverageRun run = DumpReader.read(Areas.write(dir, "exact.bin", Areas.pcArea(8, TRACE, TRACE.length + 1)));
        assertThat(run.overflowed()).isFalse();
        assertThat(run.warnings()).isEmpty();
        long[] records = {0, 1, 2, K + 0x50, 3, 4, 5, K + 0x60};
        CoverageRun cmp = DumpReader.read(Areas.write(dir, "exact-cmp.bin", Areas.cmpArea(8, records, 9)));
        assertThat(cmp.overflowed()).isFalse();
    }

    @Test
    void gzippedAreaAndTextAreDetected() throws IOException {
        CoverageRun binary = DumpReader.read(Areas.write(dir, "a.bin.gz", Areas.gzip(Areas.pcArea(8, TRACE, 8))));
        assertThat(binary.gzipped()).isTrue();
        assertThat(binary.trace()).containsExactly(TRACE);
        CoverageRun text = DumpReader.read(Areas.write(dir, "a.txt.gz",
                Areas.gzip("0xffffffff81000105\n".getBytes(StandardCharsets.US_ASCII))));
        assertThat(text.gzipped()).isTrue();
        assertThat(text.format()).isEqualTo(DumpFormat.TEXT);
        assertThat(text.trace()).containsExactly(K + 0x105);
    }

    @Test
    void textListsTakeHexDecimalCommentsAndBlankLines() throws IOException {
        String text = "# kcovtrace output\n0xffffffff81000105\n\n  ffffffff8100020a  # bare hex\r\n"
                + Long.toUnsignedString(K + 0x105) + "\n0XFFFFFFFF810003F5\n";
        CoverageRun run = DumpReader.read(Areas.write(dir, "l.txt", text.getBytes(StandardCharsets.US_ASCII)));
        assertThat(run.format()).isEqualTo(DumpFormat.TEXT);
        assertThat(run.pcKind()).isEqualTo(PcKind.UNKNOWN);
        assertThat(run.wordSize()).isEqualTo(8);
        assertThat(run.trace()).containsExactly(K + 0x105, K + 0x20a, K + 0x105, K + 0x3f5);
    }

    @Test
    void digitOnlyTokensAreHexInAFileOfBareHex() throws IOException {
        String text = "c1000105\n81000200\n";
        CoverageRun run = DumpReader.read(Areas.write(dir, "h.txt", text.getBytes(StandardCharsets.US_ASCII)));
        assertThat(run.trace()).containsExactly(0xc1000105L, 0x81000200L);
        assertThat(run.wordSize()).isEqualTo(4);
    }

    @Test
    void decimalListsWithoutBareHexStayDecimal() throws IOException {
        String text = Long.toUnsignedString(K + 1) + "\n" + Long.toUnsignedString(K + 2) + "\n0xffffffff81000003";
        CoverageRun run = DumpReader.read(Areas.write(dir, "d.txt", text.getBytes(StandardCharsets.US_ASCII)));
        assertThat(run.trace()).containsExactly(K + 1, K + 2, K + 3);
    }

    @Test
    void textHeaderAndRawcoverSayWhatThePcsAre() throws IOException {
        Path file = Areas.write(dir, "k.txt", "# pc-kind: call-site\n0xffffffff81000100\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(DumpReader.read(file).pcKind()).isEqualTo(PcKind.CALL_SITE);
        Path raw = Areas.write(dir, "rawcover", "0xffffffff81000100\n".getBytes(StandardCharsets.US_ASCII));
        CoverageRun run = DumpReader.read(raw, DumpOptions.AUTO.withFormat(DumpFormat.RAWCOVER));
        assertThat(run.format()).isEqualTo(DumpFormat.RAWCOVER);
        assertThat(run.pcKind()).isEqualTo(PcKind.CALL_SITE);
    }

    @Test
    void garbageTextNamesTheLine() throws IOException {
        Path file = Areas.write(dir, "g.txt", "0x1000\n0x2000\n\nhello world\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": line 4: expected one address per line, found 'hello world'");
        Path bad = Areas.write(dir, "b.txt", "0x1000\n0xzz\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> DumpReader.read(bad))
                .hasMessage(bad + ": line 2: expected an address (hex with or without 0x, or decimal), found '0xzz'");
    }

    @Test
    void truncatedAreaIsAnErrorAtTheEndOfTheFile() throws IOException {
        byte[] area = Areas.pcArea(8, TRACE, TRACE.length + 1);
        Path file = Areas.write(dir, "t.bin", Arrays.copyOf(area, area.length - 16));
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": byte offset " + (area.length - 16)
                        + ": truncated: the count word says 6 PCs (8-byte words) but the file ends after 4");
    }

    @Test
    void truncatedGzipAreaIsAnError() throws IOException {
        byte[] area = Areas.pcArea(8, TRACE, TRACE.length + 1);
        Path file = Areas.write(dir, "t.bin.gz", Areas.gzip(Arrays.copyOf(area, area.length - 16)));
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessageContaining("truncated: the count word says 6 PCs");
    }

    @Test
    void oddLengthIsAnErrorNamingTheOffset() throws IOException {
        byte[] area = Areas.pcArea(8, TRACE, 8);
        Path file = Areas.write(dir, "o.bin", Arrays.copyOf(area, area.length - 3));
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": byte offset 56: the file ends inside a word (61 bytes is not a whole number"
                        + " of 8-byte words: truncated or not a kcov area)");
    }

    @Test
    void wrongWordSizeIsAnError() throws IOException {
        Path file = Areas.write(dir, "w.bin", Areas.pcArea(8, TRACE, 7));
        assertThatThrownBy(() -> DumpReader.read(file, DumpOptions.AUTO.withWordSize(4)))
                .isInstanceOf(DumpFormatException.class)
                .hasMessageStartingWith(file + ": byte offset 4: PC 0 is 0x0, which is no code address");
    }

    @Test
    void emptyFileDirectoryAndMissingFileAreErrors() throws IOException {
        Path empty = Areas.write(dir, "e.bin", new byte[0]);
        assertThatThrownBy(() -> DumpReader.read(empty)).isInstanceOf(DumpFormatException.class)
                .hasMessage(empty + ": empty file, expected a kcov area or a PC list");
        assertThatThrownBy(() -> DumpReader.read(dir)).isInstanceOf(DumpFormatException.class)
                .hasMessage(dir + ": is a directory, expected a kcov dump or a PC list");
        assertThatThrownBy(() -> DumpReader.read(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }

    /** Real files of the kinds users hand over by mistake: each named for what it is, not taken for a broken area. */
    @Test
    void aSessionAVmlinuxOrADumpInAnotherCompressionIsNamedForWhatItIs() throws Exception {
        Requirements.tools("xz", "zstd");
        Path session = dir.resolve("s.kcovx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(session))) {
            zip.putNextEntry(new ZipEntry("MANIFEST.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> DumpReader.read(session)).isInstanceOf(DumpFormatException.class).hasMessage(session
                + ": a zip archive (a KCOV Explorer session, .kcovx?), expected a kcov area or a PC list");
        Path elf = Files.copy(Path.of(System.getProperty("java.home"), "bin", "java"), dir.resolve("vmlinux"));
        assertThatThrownBy(() -> DumpReader.read(elf)).isInstanceOf(DumpFormatException.class)
                .hasMessage(elf + ": an ELF file (a vmlinux or a module?), expected a kcov area or a PC list");
        for (String tool : new String[] {"xz", "zstd"}) {
            Path area = Areas.write(dir, tool + ".bin", Areas.pcArea(8, TRACE, 16));
            assertThat(new ProcessBuilder(tool, "-q", "-k", area.toString()).inheritIO().start().waitFor()).isZero();
            Path compressed = dir.resolve(tool + ".bin." + (tool.equals("xz") ? "xz" : "zst"));
            assertThatThrownBy(() -> DumpReader.read(compressed)).isInstanceOf(DumpFormatException.class).hasMessage(
                    compressed + ": " + tool + "-compressed (decompress it first: gzip is the one compression read), "
                            + "expected a kcov area or a PC list");
        }
    }

    @Test
    void badCmpTypeIsAnErrorWhenTheModeIsForced() throws IOException {
        long[] records = {1, 2, 3, K, 9, 2, 3, K};
        Path file = Areas.write(dir, "bt.bin", Areas.cmpArea(8, records, 12));
        assertThatThrownBy(() -> DumpReader.read(file, DumpOptions.AUTO.withMode(TraceMode.CMP)))
                .hasMessage(file + ": byte offset 40: CMP record 1 has type 0x9, expected a kcov comparison type 0..7");
    }

    @Test
    void aCmpRecordWithIpZeroIsKeptAndNamedAndTheOthersAreRead() throws IOException {
        long[] records = {1, 2, 3, K + 0x10, 6, 7, 8, 0, 1, 4, 4, K + 0x20, 1, 5, 5, K + 0x10};
        Path file = Areas.write(dir, "ip0.bin", Areas.cmpArea(8, records, 32));
        CoverageRun run = DumpReader.read(file);
        assertThat(run.mode()).isEqualTo(TraceMode.CMP);
        assertThat(run.cmp().ips()).containsExactly(K + 0x10, 0, K + 0x20, K + 0x10);
        assertThat(run.warnings()).containsExactly("CMP record 1 has ip 0x0, which is no return address (a damaged"
                + " record); 1 such record resolves to no comparison site, the other 3 are read");
    }

    @Test
    void aLastCmpRecordCountedButNotWrittenIsSaidToBeSo() throws IOException {
        long[] records = {1, 2, 3, K + 0x10, 1, 4, 4, K + 0x20, 0, 0, 0, 0};
        CoverageRun run = DumpReader.read(Areas.write(dir, "last.bin", Areas.cmpArea(8, records, 32)));
        assertThat(run.cmp().size()).isEqualTo(3);
        assertThat(run.warnings()).singleElement().asString().startsWith("CMP record 2 has ip 0x0, which is no return"
                + " address (the last record, counted but not yet written when the area was read)");
    }

    @Test
    void aCmpCountThatCountsTheZeroTailIsAnErrorAtItsFirstZeroRecord() throws IOException {
        long[] records = {1, 2, 3, K + 0x10, 1, 4, 4, K + 0x20, 0, 0, 0, 0, 0, 0, 0, 0};
        Path file = Areas.write(dir, "tail.bin", Areas.cmpArea(8, records, 32));
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": byte offset " + (8 + 2 * 32 + 24) + ": the ip of CMP record 2 is 0x0, which is no"
                        + " code address: the data ends after 2 of the 4 CMP records the count word says (a corrupt"
                        + " count word, or one that counts the unused zero tail of the area)");
    }

    @Test
    void aTornLastCmpRecordIsNamed() throws IOException {
        long[] records = {1, 2, 3, K + 0x10, 1, 4, 4, K + 0x20};
        byte[] area = Areas.cmpArea(8, records, 9);
        Path file = Areas.write(dir, "torn.bin", Arrays.copyOf(area, area.length - 8));
        assertThatThrownBy(() -> DumpReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": byte offset 64: truncated: the count word says 2 CMP records (8-byte words) but"
                        + " the file ends after 1, inside record 1 (a torn record: 3 of its 4 words)");
    }

    @Test
    void largeAreaStreamsAcrossWindows() throws IOException {
        long[] pcs = new long[600_000];
        for (int i = 0; i < pcs.length; i++) {
            pcs[i] = K + (i % 1000) * 5;
        }
        byte[] area = Areas.pcArea(8, pcs, pcs.length + 2);
        CoverageRun plain = DumpReader.read(Areas.write(dir, "big.bin", area));
        CoverageRun gz = DumpReader.read(Areas.write(dir, "big.bin.gz", Areas.gzip(area)));
        for (CoverageRun run : new CoverageRun[] {plain, gz}) {
            assertThat(run.trace()).isEqualTo(pcs);
            assertThat(run.uniquePcs()).hasSize(1000);
            assertThat(Arrays.stream(run.hitCounts()).sum()).isEqualTo(pcs.length);
        }
        assertThat(Files.size(dir.resolve("big.bin"))).isGreaterThan(ByteSource.WINDOW);
    }
}
