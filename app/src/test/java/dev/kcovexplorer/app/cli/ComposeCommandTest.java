package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.PcKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheComposedSetAndPrintsItsSize() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        long[] a = DumpFiles.trace(random, DumpFiles.KERNEL64, 2000, 300);
        long[] b = DumpFiles.trace(random, DumpFiles.KERNEL64, 2000, 300);
        long[] c = DumpFiles.trace(random, DumpFiles.KERNEL64, 500, 300);
        Path fa = DumpFiles.pcArea(dir.resolve("a.bin"), 8, a, 3000);
        Path fb = DumpFiles.gzip(DumpFiles.pcArea(dir.resolve("b.bin"), 8, b, 3000));
        Path fc = DumpFiles.pcArea(dir.resolve("c.bin"), 8, c, 1000);
        Path out = dir.resolve("out.txt");

        CliRunner.Result result = CliRunner.run("compose", "A | B & base - C", fa.toString(), fb.toString(),
                "base=" + fc, "-o", out.toString());

        // & binds tighter than -, which binds tighter than |: A ∪ ((B ∩ base) \ C), where base is also C.
        TreeSet<Long> expected = set(a);
        TreeSet<Long> inner = set(b);
        inner.retainAll(set(c));
        inner.removeAll(set(c));
        expected.addAll(inner);
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo(expected.size() + " PCs written to " + out + System.lineSeparator());
        CoverageRun written = DumpReader.read(out);
        assertThat(written.uniquePcs()).containsExactly(expected.stream().mapToLong(Long::longValue).toArray());
        assertThat(written.pcKind()).isEqualTo(PcKind.RETURN_ADDRESS);
        assertThat(Files.readString(out)).startsWith("# kcov-explorer compose A | B & base - C\n");
    }

    @Test
    void aRunLabelIsAnyTextBeforeTheEqualsSignUnlessAPathSeparatorComesFirst() throws Exception {
        Path fa = DumpFiles.pcArea(dir.resolve("a.bin"), 8, new long[] {DumpFiles.KERNEL64 + 5, DumpFiles.KERNEL64 + 9}, 4);
        Path fb = DumpFiles.pcArea(Files.createDirectories(dir.resolve("x=y")).resolve("b.bin"), 8,
                new long[] {DumpFiles.KERNEL64 + 9}, 4);

        CliRunner.Result result = CliRunner.run("compose", "'usb-kbd' - B", "usb-kbd=" + fa, fb.toString());

        assertThat(result.err()).isEmpty();
        assertThat(result.out().trim()).isEqualTo("1 PCs");
    }

    @Test
    void printsOnlyTheSizeWithoutAnOutput() throws Exception {
        Path fa = DumpFiles.pcArea(dir.resolve("a.bin"), 8, new long[] {DumpFiles.KERNEL64 + 5, DumpFiles.KERNEL64 + 9}, 4);
        Path fb = DumpFiles.pcArea(dir.resolve("b.bin"), 8, new long[] {DumpFiles.KERNEL64 + 9}, 4);
        assertThat(CliRunner.run("compose", "A ^ B", fa.toString(), fb.toString()).out().trim()).isEqualTo("1 PCs");
    }

    @Test
    void refusesToOverwriteAnInputAndLeavesItAlone() throws Exception {
        Path fa = DumpFiles.pcArea(dir.resolve("a.bin"), 8, new long[] {DumpFiles.KERNEL64 + 5}, 4);
        byte[] before = Files.readAllBytes(fa);
        CliRunner.Result result = CliRunner.run("compose", "A", fa.toString(), "-o", fa.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly(
                "kcov-explorer: " + fa + ": refusing to overwrite an input file; choose another output");
        assertThat(Files.readAllBytes(fa)).isEqualTo(before);
    }

    @Test
    void unknownRunPointsAtTheColumn() throws Exception {
        Path fa = DumpFiles.pcArea(dir.resolve("a.bin"), 8, new long[] {DumpFiles.KERNEL64 + 5}, 4);
        CliRunner.Result result = CliRunner.run("compose", "A & (A | Q)", fa.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("kcov-explorer: unknown run 'Q' at column 10");
        CliRunner.Result syntax = CliRunner.run("compose", "A &", fa.toString());
        assertThat(syntax.err().lines())
                .containsExactly("kcov-explorer: expected a run name or '(' but the expression ended at column 4");
    }

    @Test
    void refusesToMixReturnAddressesAndCallSites() throws Exception {
        Path fa = DumpFiles.pcArea(dir.resolve("a.bin"), 8, new long[] {DumpFiles.KERNEL64 + 5}, 4);
        Path raw = Files.writeString(dir.resolve("rawcover"), "# pc-kind: call-site\n0xffffffff81000000\n");
        CliRunner.Result result = CliRunner.run("compose", "A | B", fa.toString(), raw.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("mix return addresses and call sites");
    }

    private static TreeSet<Long> set(long[] pcs) {
        TreeSet<Long> set = new TreeSet<>();
        Arrays.stream(pcs).forEach(set::add);
        return set;
    }
}
