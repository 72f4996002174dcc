package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code info --json} against a C reader compiled by gcc at test time: for generated dumps in both
 * word sizes, both modes, text and gzip, the counts must be exactly what the C reader computes, and
 * format, word size and mode what the dump was generated as.
 */
class InfoCommandTest {
    @TempDir
    static Path dir;
    private static Path oracle;

    @BeforeAll
    static void compileOracle() throws Exception {
        Path source = dir.resolve("kcov_count.c");
        try (InputStream in = InfoCommandTest.class.getResourceAsStream("/oracle/kcov_count.c")) {
            Files.copy(in, source);
        }
        oracle = dir.resolve("kcov_count");
        boolean compiled;
        try {
            Process gcc = new ProcessBuilder("gcc", "-O2", "-o", oracle.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            compiled = gcc.waitFor() == 0;
            assertThat(log).as("gcc output").doesNotContain("error");
        } catch (IOException e) {
            compiled = false;
        }
        Requirements.require(compiled, "gcc is not installed: the C reference reader cannot be built (apt-get install gcc)");
    }

    /** What the C reader says about a file: the JSON fragment with entries, uniquePcs and overflow. */
    private static String oracleCounts(Path file, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("sh");
        command.add("-c");
        String reader = oracle + " " + String.join(" ", args);
        command.add(file.toString().endsWith(".gz") ? "gzip -dc < '" + file + "' | " + reader : reader + " < '" + file + "'");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).as("C reader on " + file + ": " + out).isZero();
        return out;
    }

    private record Case(Path file, String format, int wordSize, String mode, String[] oracleArgs) {
        String expectedLine(String counts) {
            return "{\"file\":\"" + file + "\",\"format\":\"" + format + "\",\"wordSize\":" + wordSize
                    + ",\"mode\":\"" + mode + "\"," + counts + "}";
        }
    }

    @Test
    void jsonCountsEqualTheCReaderForEveryFormat() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        // Lengths that make the full areas whole pages, as kcov maps them: 5,120 and 3,072 words, 896 records.
        long[] trace64 = DumpFiles.trace(random, DumpFiles.KERNEL64, 5119, 700);
        long[] trace32 = DumpFiles.trace(random, DumpFiles.KERNEL32, 3071, 400);
        long[] ips = DumpFiles.trace(random, DumpFiles.KERNEL64, 895, 90);
        List<Case> cases = List.of(
                new Case(DumpFiles.pcArea(dir.resolve("pc64.bin"), 8, trace64, 8192), "binary", 8, "pc", args("8", "pc")),
                new Case(DumpFiles.pcArea(dir.resolve("pc32.bin"), 4, trace32, 6000), "binary", 4, "pc", args("4", "pc")),
                new Case(DumpFiles.cmpArea(dir.resolve("cmp64.bin"), 8, random, ips, 4096), "binary", 8, "cmp",
                        args("8", "cmp")),
                new Case(DumpFiles.pcArea(dir.resolve("full64.bin"), 8, trace64, trace64.length + 1), "binary", 8, "pc",
                        args("8", "pc")),
                new Case(DumpFiles.pcArea(dir.resolve("full32.bin"), 4, trace32, trace32.length + 1), "binary", 4, "pc",
                        args("4", "pc")),
                new Case(DumpFiles.cmpArea(dir.resolve("fullcmp.bin"), 8, random, ips, 1 + 4 * ips.length + 3), "binary",
                        8, "cmp", args("8", "cmp")),
                new Case(DumpFiles.pcArea(dir.resolve("exact64.bin"), 8, Arrays.copyOf(trace64, 5000), 5001), "binary",
                        8, "pc", args("8", "pc")),
                new Case(DumpFiles.textList(dir.resolve("list.txt"), trace64), "text", 8, "pc", args("text")),
                new Case(DumpFiles.textList(dir.resolve("list32.txt"), trace32), "text", 4, "pc", args("text")),
                new Case(DumpFiles.bareHexList(dir.resolve("bare.txt"), trace64), "text", 8, "pc", args("text")),
                new Case(DumpFiles.gzip(dir.resolve("pc64.bin")), "binary+gzip", 8, "pc", args("8", "pc")),
                new Case(DumpFiles.gzip(dir.resolve("cmp64.bin")), "binary+gzip", 8, "cmp", args("8", "cmp")),
                new Case(DumpFiles.gzip(dir.resolve("list.txt")), "text+gzip", 8, "pc", args("text")));

        CliRunner.Result result = CliRunner.run(concat(new String[] {"info", "--json"},
                cases.stream().map(c -> c.file().toString()).toArray(String[]::new)));

        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        List<String> expected = new ArrayList<>();
        for (Case c : cases) {
            expected.add(c.expectedLine(oracleCounts(c.file(), c.oracleArgs())));
        }
        assertThat(result.out().lines()).containsExactlyElementsOf(expected);
        // The generated data must exercise what it claims to: full areas overflow, the others do not.
        assertThat(expected.stream().filter(line -> line.contains("\"overflow\":true"))).hasSize(3);
    }

    @Test
    void cmpAreasOf4ByteWordsWhenForced() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        long[] ips = DumpFiles.trace(random, DumpFiles.KERNEL32, 300, 50);
        Case c = new Case(DumpFiles.cmpArea(dir.resolve("cmp32.bin"), 4, random, ips, 2000), "binary", 4, "cmp",
                args("4", "cmp"));
        CliRunner.Result result = CliRunner.run("info", "--json", "--word-size", "4", c.file().toString());
        assertThat(result.out().trim()).isEqualTo(c.expectedLine(oracleCounts(c.file(), c.oracleArgs())));
    }

    @Test
    void textOutputSaysWhatAPersonNeeds() throws Exception {
        long[] trace = {DumpFiles.KERNEL64 + 5, DumpFiles.KERNEL64 + 21, DumpFiles.KERNEL64 + 5};
        // Just the count word and its entries, as most collectors write: no overflow to report.
        Path exact = DumpFiles.pcArea(dir.resolve("exact.bin"), 8, trace, 4);
        // The whole mapped page, full.
        long[] pageTrace = Arrays.copyOf(trace, 511);
        Arrays.fill(pageTrace, 3, 511, DumpFiles.KERNEL64 + 5);
        Path full = DumpFiles.pcArea(dir.resolve("page-full.bin"), 8, pageTrace, 512);
        CliRunner.Result result = CliRunner.run("info", exact.toString(), full.toString());
        assertThat(result.out().lines()).containsExactly(
                exact + ": binary, 8-byte words, mode pc, 3 PCs, 2 unique PCs, return addresses, complete",
                full + ": binary, 8-byte words, mode pc, 511 PCs, 2 unique PCs, return addresses, area overflowed",
                full + ": warning: area overflowed: coverage after entry 511 was dropped by the kernel");
    }

    @Test
    void badInputsGiveOneLineNamingFileAndPlace() throws Exception {
        long[] trace = DumpFiles.trace(new SplittableRandom(3), DumpFiles.KERNEL64, 100, 30);
        byte[] area = Files.readAllBytes(DumpFiles.pcArea(dir.resolve("good.bin"), 8, trace, 101));
        Path truncated = Files.write(dir.resolve("truncated.bin"), Arrays.copyOf(area, 400));
        Path odd = Files.write(dir.resolve("odd.bin"), Arrays.copyOf(area, 405));
        Path garbage = Files.writeString(dir.resolve("garbage.txt"), "0x1000\n# ok\n0x2000\nnot an address\n");
        Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
        Path missing = dir.resolve("missing.bin");
        Path directory = Files.createDirectories(dir.resolve("a-directory"));

        assertOneLineError(run("info", truncated), truncated + ": byte offset 400: truncated: the count word says 100 PCs"
                + " (8-byte words) but the file ends after 49");
        assertOneLineError(run("info", odd), odd + ": byte offset 400: the file ends inside a word (405 bytes is not a"
                + " whole number of 8-byte words: truncated or not a kcov area)");
        assertOneLineError(run("info", "--word-size", "4", dir.resolve("good.bin").toString()),
                dir.resolve("good.bin") + ": byte offset 4: PC 0 is 0x0, which is no code address: neither a TRACE_PC"
                        + " nor a TRACE_CMP area of 4-byte words (force --mode or --word-size if you know better)");
        assertOneLineError(run("info", garbage), garbage + ": line 4: expected one address per line, found 'not an address'");
        assertOneLineError(run("info", empty), empty + ": empty file, expected a kcov area or a PC list");
        assertOneLineError(run("info", missing), "no such file: " + missing);
        assertOneLineError(run("info", directory), directory + ": is a directory, expected a kcov dump or a PC list");
    }

    @Test
    void oneBadFileDoesNotHideTheOthers() throws Exception {
        Path good = DumpFiles.pcArea(dir.resolve("ok.bin"), 8, new long[] {DumpFiles.KERNEL64 + 5}, 4);
        CliRunner.Result result = run("info", "--json", dir.resolve("nope.bin").toString(), good.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().lines()).containsExactly("kcov-explorer: no such file: " + dir.resolve("nope.bin"));
        assertThat(result.out().lines()).hasSize(1).first().asString().contains("\"entries\":1");
    }

    @Test
    void debugShowsTheStackTrace() {
        CliRunner.Result result = CliRunner.run("info", "--debug", dir.resolve("absent.bin").toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("java.nio.file.NoSuchFileException").contains("\tat ");
        // Before the command the whole command tree parses, the root's --debug: the same option.
        CliRunner.Result first = CliRunner.run("--debug", "info", dir.resolve("absent.bin").toString());
        assertThat(first.status()).isEqualTo(1);
        assertThat(first.err()).contains("java.nio.file.NoSuchFileException").contains("\tat ");
    }

    private static CliRunner.Result run(String command, Path file) {
        return CliRunner.run(command, file.toString());
    }

    private static CliRunner.Result run(String... args) {
        return CliRunner.run(args);
    }

    private static void assertOneLineError(CliRunner.Result result, String message) {
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).containsExactly("kcov-explorer: " + message);
    }

    private static String[] args(String... args) {
        return args;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
