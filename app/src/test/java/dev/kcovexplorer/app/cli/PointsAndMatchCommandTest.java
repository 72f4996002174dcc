package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.symbolizer.attribution.PcAttribution;
import dev.kcovexplorer.symbolizer.attribution.PcAttributor;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code points} and {@code match} on a gcc-built program run under the kcov-like harness. */
class PointsAndMatchCommandTest {
    private static final Pattern CALLBACK_BRANCH = Pattern.compile(
            "^\\s*([0-9a-f]+):\\s+(call|jmp)\\s+[0-9a-f]+ <__sanitizer_cov_trace_pc>\\s*$");

    @TempDir
    static Path dir;
    static InstrumentedProgram program;
    static Path dump;

    @BeforeAll
    static void build() throws Exception {
        InstrumentedProgram.requireTools();
        program = InstrumentedProgram.build(dir);
        dump = program.run(1, "run1.bin");
    }

    @Test
    void pointsPrintsObjdumpsCallbackBranchesSorted() throws Exception {
        TreeSet<Long> calls = new TreeSet<>();
        TreeSet<Long> tails = new TreeSet<>();
        String listing = Tools.check(dir, null, List.of("objdump", "-d", "--no-show-raw-insn",
                program.binary().toString()));
        for (String line : listing.split("\n")) {
            Matcher m = CALLBACK_BRANCH.matcher(line);
            if (m.matches()) {
                (m.group(2).equals("call") ? calls : tails).add(Long.parseLong(m.group(1), 16));
            }
        }
        CliRunner.Result defaultKind = CliRunner.run("points", "--vmlinux", program.binary().toString());
        assertThat(defaultKind.status()).isZero();
        assertThat(defaultKind.out().lines().toList()).isEqualTo(hex(calls));
        CliRunner.Result tail = CliRunner.run("points", "--vmlinux", program.binary().toString(), "--kind", "tail");
        assertThat(tail.out().lines().toList()).isNotEmpty().isEqualTo(hex(tails));
        CliRunner.Result cmp = CliRunner.run("points", "--vmlinux", program.binary().toString(), "--kind", "cmp");
        assertThat(cmp.status()).isZero();
        assertThat(cmp.out()).as("built without trace-cmp").isEmpty();
    }

    @Test
    void badInputIsOneLine() {
        CliRunner.Result kind = CliRunner.run("points", "--vmlinux", program.binary().toString(), "--kind", "branch");
        assertThat(kind.status()).isNotZero();
        assertThat(kind.err()).isEqualTo("kcov-explorer: --kind branch: expected call, tail or cmp\n");
        CliRunner.Result missing = CliRunner.run("match", "--vmlinux", dir.resolve("nope").toString(), dump.toString());
        assertThat(missing.err()).startsWith("kcov-explorer: no such file:").contains("nope").hasLineCount(1);
    }

    @Test
    void matchJsonCarriesTheAttributionFigures() throws Exception {
        Path second = program.run(2, "run2.bin");
        CliRunner.Result run = CliRunner.run("match", "--vmlinux", program.binary().toString(), "--json", dump.toString(),
                second.toString());
        assertThat(run.status()).isZero();
        assertThat(run.err()).doesNotContain("do not belong");
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        try (ElfFile elf = ElfFile.open(program.binary())) {
            Iterator<String> line = lines.iterator();
            for (Path file : List.of(dump, second)) {
                JsonNode o = new ObjectMapper().readTree(line.next());
                PcAttribution a = PcAttributor.attribute(DumpReader.read(file).uniquePcs(),
                        KernelIndexBuilder.pointsOnly(elf), ReturnAddressInspector.of(elf));
                List<String> fields = new ArrayList<>();
                o.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).containsExactly("file", "mode", "pcKind", "uniquePcs", "matched", "attributedExact",
                        "attributedCandidates", "unresolved");
                assertThat(o.get("file").asText()).isEqualTo(file.toString());
                assertThat(o.get("pcKind").asText()).isEqualTo("return-address");
                assertThat(o.get("uniquePcs").asInt()).isEqualTo(a.uniquePcs()).isPositive();
                assertThat(o.get("matched").asInt()).isEqualTo(a.matched()).isPositive();
                assertThat(o.get("attributedExact").asInt()).isEqualTo(a.attributedExact());
                assertThat(o.get("attributedCandidates").asInt()).isEqualTo(a.attributedCandidates());
                assertThat(o.get("unresolved").asInt()).isEqualTo(a.unresolved());
                assertThat(a.attributedExact() + a.attributedCandidates()).as("the fixture tail-calls the callback")
                        .isPositive();
            }
        }
    }

    @Test
    void matchTextNamesTheFiguresAndWarnsAboutAForeignImage() throws Exception {
        CliRunner.Result text = CliRunner.run("match", "--vmlinux", program.binary().toString(), dump.toString());
        assertThat(text.out()).contains(dump + ": ").contains("read as return addresses").contains("matched")
                .contains("attributed exactly").contains("attributed to candidates").contains("unresolved");
        assertThat(text.err()).doesNotContain("do not belong");

        // The harness object has no coverage points at all: no PC of the run can land on one.
        CliRunner.Result foreign = CliRunner.run("match", "--vmlinux", dir.resolve("harness.o").toString(), dump.toString());
        assertThat(foreign.err()).contains("these PCs do not belong to this vmlinux");
    }

    private static List<String> hex(TreeSet<Long> addresses) {
        return addresses.stream().map(a -> "0x" + Long.toHexString(a)).toList();
    }
}
