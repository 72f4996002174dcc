package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpFormat;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path dir;

    @Test
    void binaryToTextAndBackKeepsTheTrace() throws Exception {
        long[] trace = DumpFiles.trace(new SplittableRandom(9), DumpFiles.KERNEL64, 1000, 120);
        Path area = DumpFiles.pcArea(dir.resolve("a.bin"), 8, trace, 1500);
        Path text = dir.resolve("a.txt");
        Path back = dir.resolve("b.bin");

        assertThat(CliRunner.run("convert", area.toString(), "-o", text.toString(), "--to", "text").out())
                .startsWith(text + ": text, 1000 PCs");
        assertThat(CliRunner.run("convert", text.toString(), "-o", back.toString(), "--to", "binary").status()).isZero();

        CoverageRun fromText = DumpReader.read(text);
        CoverageRun fromBinary = DumpReader.read(back);
        assertThat(fromText.format()).isEqualTo(DumpFormat.TEXT);
        assertThat(fromText.trace()).containsExactly(trace);
        assertThat(fromBinary.format()).isEqualTo(DumpFormat.BINARY);
        assertThat(fromBinary.trace()).containsExactly(trace);
        assertThat(fromBinary.overflowed()).isFalse();
    }

    @Test
    void textOf32BitAddressesBecomesA32BitArea() throws Exception {
        long[] trace = DumpFiles.trace(new SplittableRandom(2), DumpFiles.KERNEL32, 50, 10);
        Path text = DumpFiles.textList(dir.resolve("l.txt"), trace);
        Path out = dir.resolve("l.bin");
        CliRunner.run("convert", text.toString(), "-o", out.toString(), "--to", "binary");
        assertThat(Files.size(out)).isEqualTo(4L * (1 + trace.length + 1));
        assertThat(DumpReader.read(out).trace()).containsExactly(trace);
    }

    @Test
    void cmpAreaConvertsToBinaryAndToItsComparisonSites() throws Exception {
        SplittableRandom random = new SplittableRandom(4);
        long[] ips = DumpFiles.trace(random, DumpFiles.KERNEL64, 64, 20);
        Path cmp = DumpFiles.cmpArea(dir.resolve("c.bin"), 8, random, ips, 400);
        Path copy = dir.resolve("copy.bin");
        Path sites = dir.resolve("sites.txt");
        CliRunner.run("convert", cmp.toString(), "-o", copy.toString(), "--to", "binary");
        CliRunner.run("convert", cmp.toString(), "-o", sites.toString(), "--to", "text");
        CoverageRun original = DumpReader.read(cmp);
        CoverageRun copied = DumpReader.read(copy);
        assertThat(copied.mode()).isEqualTo(TraceMode.CMP);
        assertThat(copied.cmp().types()).containsExactly(original.cmp().types());
        assertThat(copied.cmp().arg1s()).containsExactly(original.cmp().arg1s());
        assertThat(copied.cmp().arg2s()).containsExactly(original.cmp().arg2s());
        assertThat(DumpReader.read(sites).trace()).containsExactly(ips);
    }

    @Test
    void refusesToConvertOntoItsInput() throws Exception {
        Path area = DumpFiles.pcArea(dir.resolve("a.bin"), 8, new long[] {DumpFiles.KERNEL64 + 5}, 4);
        CliRunner.Result result = CliRunner.run("convert", area.toString(), "-o", area.toString(), "--to", "text");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("refusing to overwrite an input file");
    }

    @Test
    void a64BitPcDoesNotFitA4ByteWordAndTheTargetStaysUntouched() throws Exception {
        Path area = DumpFiles.pcArea(dir.resolve("a.bin"), 8, new long[] {DumpFiles.KERNEL64 + 5}, 4);
        Path out = Files.writeString(dir.resolve("existing.bin"), "keep me");
        CliRunner.Result result = CliRunner.run("convert", area.toString(), "-o", out.toString(), "--to", "binary",
                "--out-word-size", "4");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("kcov-explorer: " + out
                + ": 0xffffffff81000005 does not fit in a 4-byte word; write 8-byte words");
        assertThat(Files.readString(out)).isEqualTo("keep me");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.bin", "existing.bin");
        }
    }
}
