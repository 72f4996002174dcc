package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.testing.Requirements;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code symbolize} on a gcc-built program: one JSON object per input address in input order, the
 * inline chain innermost first, and the java backend giving llvm-symbolizer's file:line.
 */
class SymbolizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = """
            static inline int square(int x) { return x * x; }
            static inline int twice_square(int x) { return 2 * square(x); }
            int __attribute__((noinline)) compute(int x) { return twice_square(x) + 1; }
            int main(int argc, char **argv) { (void)argv; return compute(argc); }
            """;

    @TempDir
    static Path dir;
    static Path program;
    static long compute;
    static int computeSize;

    @BeforeAll
    static void compile() throws Exception {
        Files.writeString(dir.resolve("prog.c"), SOURCE);
        program = dir.resolve("prog");
        boolean compiled;
        try {
            Process gcc = new ProcessBuilder("gcc", "-O2", "-gdwarf-5", "-o", program.toString(), "prog.c")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            gcc.getInputStream().readAllBytes();
            compiled = gcc.waitFor() == 0;
        } catch (java.io.IOException e) {
            compiled = false;
        }
        Requirements.require(compiled, "gcc is not installed: no program to symbolize (apt-get install gcc)");
        Process nm = new ProcessBuilder("nm", "-S", program.toString()).start();
        for (String line : new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.endsWith(" compute")) {
                compute = Long.parseUnsignedLong(line.substring(0, 16), 16);
                computeSize = Integer.parseInt(line.substring(17, 33), 16);
            }
        }
        nm.waitFor();
        assertThat(compute).isPositive();
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void printsOneObjectPerAddressInInputOrder() throws Exception {
        Path addresses = dir.resolve("addresses.txt");
        Files.writeString(addresses, "# compute's first two instructions, then addresses in no function\n"
                + "0x" + Long.toHexString(compute) + "\n\n"
                + Long.toHexString(compute + 1) + "   # bare hex\n"
                + "abc\n"
                + "0x1\n");
        CliRunner.Result r = CliRunner.run("symbolize", "--vmlinux", program.toString(), addresses.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        List<JsonNode> out = lines(r.out());
        assertThat(out).hasSize(4);
        assertThat(out.get(0).get("address").asText()).isEqualTo("0x" + Long.toHexString(compute));
        // Digit-only tokens are hex here, because the file also holds bare hex with letters ("abc").
        assertThat(out.get(1).get("address").asText()).isEqualTo("0x" + Long.toHexString(compute + 1));
        assertThat(out.get(2).get("address").asText()).isEqualTo("0xabc");
        assertThat(out.get(3).get("address").asText()).isEqualTo("0x1");
        assertThat(out.get(3).get("frames")).isEmpty();
        JsonNode frames = out.get(0).get("frames");
        JsonNode outer = frames.get(frames.size() - 1);
        assertThat(outer.get("function").asText()).isEqualTo("compute");
        assertThat(outer.get("file").asText()).endsWith("/prog.c");
        assertThat(outer.get("line").asInt()).isEqualTo(3);
        assertThat(outer.has("linkage")).isTrue();
        assertThat(outer.has("column")).isTrue();
    }

    @Test
    void javaBackendAgreesWithLlvmBackendOnEveryByteOfCompute() throws Exception {
        Requirements.tools("llvm-symbolizer");
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < computeSize; i++) {
            in.append("0x").append(Long.toHexString(compute + i)).append('\n');
        }
        Path addresses = dir.resolve("range.txt");
        Files.writeString(addresses, in);
        List<JsonNode> java = lines(CliRunner.run("symbolize", "--vmlinux", program.toString(), addresses.toString()).out());
        List<JsonNode> llvm = lines(CliRunner.run("symbolize", "--vmlinux", program.toString(), "--backend", "llvm",
                addresses.toString()).out());
        assertThat(java).hasSize(computeSize).hasSameSizeAs(llvm);
        boolean sawInlined = false;
        for (int i = 0; i < java.size(); i++) {
            JsonNode a = java.get(i).get("frames");
            JsonNode b = llvm.get(i).get("frames");
            assertThat(a.size()).as("frames of " + java.get(i).get("address")).isEqualTo(b.size());
            for (int f = 0; f < a.size(); f++) {
                assertThat(a.get(f).get("file").asText() + ":" + a.get(f).get("line").asInt())
                        .isEqualTo(b.get(f).get("file").asText() + ":" + b.get(f).get("line").asInt());
            }
            sawInlined |= a.size() >= 3 && a.get(0).get("function").asText().equals("square");
        }
        assertThat(sawInlined).as("square inlined into twice_square inlined into compute").isTrue();
    }

    @Test
    void badAddressLineIsOneClearError() throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "0x10\nnot-an-address\n");
        CliRunner.Result r = CliRunner.run("symbolize", "--vmlinux", program.toString(), bad.toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("kcov-explorer: " + bad + " line 2: expected an address "
                + "(0x hex, hex or decimal), got \"not-an-address\"");
    }

    @Test
    void notAnElfFileIsOneClearError() throws Exception {
        Path text = dir.resolve("not-elf");
        Files.writeString(text, "definitely not an ELF file, just some text to be long enough");
        Path addresses = dir.resolve("one.txt");
        Files.writeString(addresses, "0x10\n");
        CliRunner.Result r = CliRunner.run("symbolize", "--vmlinux", text.toString(), addresses.toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).startsWith("kcov-explorer: " + text).contains("not an ELF file").doesNotContain("Exception");
    }

    @Test
    void parserReadsDecimalWhenNoBareHexIsPresent() throws Exception {
        long[] a = AddressListParser.parse(new ByteArrayInputStream("10\n0x10\n# c\n\n".getBytes(StandardCharsets.US_ASCII)), "t");
        assertThat(a).containsExactly(10, 16);
    }

    @Test
    void parserSplitsLinesAtLfCrAndCrLfAndTrimsAroundComments() throws Exception {
        String input = "\t0xA # caf\u00e9\r\n\r\n  ffffffff81000000\r20\n#only a comment\n0X1f";
        long[] a = AddressListParser.parse(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "t");
        // 20 is hex: the input holds a bare hex token with letters.
        assertThat(a).containsExactly(0xA, 0xffffffff81000000L, 0x20, 0x1f);
        assertThatThrownBy(() -> AddressListParser.parse(new ByteArrayInputStream(
                "0x1\r\n\r\n0xg1 # x\r\n".getBytes(StandardCharsets.UTF_8)), "t"))
                .hasMessage("t line 3: expected an address (0x hex, hex or decimal), got \"0xg1\"");
    }
}
