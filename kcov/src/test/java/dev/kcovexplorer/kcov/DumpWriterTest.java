package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpWriterTest {
    private static final long K = 0xffffffff81000000L;

    @TempDir
    Path dir;

    @Test
    void binaryRoundTripKeepsTraceModeKindAndOverflow() throws IOException {
        // A full area as the kernel maps it: one page, the count word and 511 PCs.
        long[] trace = new long[Areas.PAGE / 8 - 1];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = K + 5 + 4 * (i % 2);
        }
        CoverageRun full = DumpReader.read(Areas.write(dir, "full.bin", Areas.pcArea(8, trace, Areas.PAGE / 8)));
        assertThat(full.overflowed()).isTrue();
        for (int wordSize : new int[] {8, 4}) {
            long[] pcs = wordSize == 8 ? new long[] {K + 5, K + 9, K + 5} : new long[] {0xc1000005L, 0xc1000009L};
            CoverageRun run = CoverageRun.fromPcs(pcs, PcKind.RETURN_ADDRESS, null);
            Path out = dir.resolve("w" + wordSize + ".bin");
            DumpWriter.writeBinary(out, run, wordSize);
            CoverageRun back = DumpReader.read(out);
            assertThat(back.wordSize()).isEqualTo(wordSize);
            assertThat(back.trace()).containsExactly(pcs);
            assertThat(back.overflowed()).isFalse();
        }
        Path again = dir.resolve("again.bin");
        DumpWriter.writeBinary(again, full, 8);
        assertThat(DumpReader.read(again).overflowed()).isTrue();
        assertThat(Files.readAllBytes(again)).isEqualTo(Areas.pcArea(8, trace, Areas.PAGE / 8));
    }

    @Test
    void textRoundTripKeepsTheKind() throws IOException {
        Path out = dir.resolve("l.txt");
        DumpWriter.writeText(out, new long[] {K + 0x20, 0, 7}, PcKind.CALL_SITE, "two\nlines");
        assertThat(Files.readAllLines(out)).isEqualTo(List.of("# two", "# lines", "# pc-kind: call-site",
                "0xffffffff81000020", "0x0", "0x7"));
        CoverageRun back = DumpReader.read(out);
        assertThat(back.pcKind()).isEqualTo(PcKind.CALL_SITE);
        assertThat(back.trace()).containsExactly(K + 0x20, 0, 7);
    }

    @Test
    void outputsThatAreInputsAreRefused() throws IOException {
        Path input = Areas.write(dir, "in.bin", new byte[] {1});
        assertThatThrownBy(() -> AtomicFiles.requireNotAnInput(dir.resolve(".").resolve("in.bin"), List.of(input)))
                .hasMessageContaining("refusing to overwrite an input file");
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), input);
        assertThatThrownBy(() -> AtomicFiles.requireNotAnInput(link, List.of(input)))
                .hasMessageContaining("refusing to overwrite an input file");
        AtomicFiles.requireNotAnInput(dir.resolve("new.bin"), List.of(input));
    }
}
