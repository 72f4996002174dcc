package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Comparison sites, their kinds, sizes and tail calls, against what objdump disassembles. */
class ComparisonSiteScanTest {
    private static final String[] HOOKS = {"__sanitizer_cov_trace_cmp1", "__sanitizer_cov_trace_cmp2",
        "__sanitizer_cov_trace_cmp4", "__sanitizer_cov_trace_cmp8", "__sanitizer_cov_trace_const_cmp1",
        "__sanitizer_cov_trace_const_cmp2", "__sanitizer_cov_trace_const_cmp4", "__sanitizer_cov_trace_const_cmp8",
        "__sanitizer_cov_trace_switch"};

    @TempDir
    Path dir;

    @Test
    void sitesKindsSizesAndTailCallsEqualObjdump() throws Exception {
        Path program = build();
        Map<String, Map<String, TreeSet<Long>>> objdump = CoverageHarness.objdumpBranches(program);
        // site → "call hook" / "jmp hook", as objdump names them
        TreeMap<Long, String> expected = new TreeMap<>();
        for (String mnemonic : List.of("call", "jmp")) {
            for (String hook : HOOKS) {
                for (long site : objdump.get(mnemonic).getOrDefault(hook, new TreeSet<>())) {
                    expected.put(site, mnemonic + " " + hook);
                }
            }
        }
        assertThat(expected.values()).as("the fixture exercises every hook and a tail call")
                .anyMatch(v -> v.startsWith("jmp "))
                .anyMatch(v -> v.endsWith("_switch"))
                .anyMatch(v -> v.endsWith("const_cmp8"));

        CoveragePoints points;
        try (ElfFile elf = ElfFile.open(program)) {
            points = CoveragePointScanner.scan(elf);
        }
        TreeMap<Long, String> actual = new TreeMap<>();
        for (int i = 0; i < points.comparisonSites().length; i++) {
            actual.put(points.comparisonSites()[i], describe(points.comparisonTypes()[i]));
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void theIndexGivesEverySiteAChainAndAttributesTheTailCall() throws Exception {
        Path program = build();
        KernelIndex index = new KernelIndexBuilder().build(program, BuildMonitor.SILENT);
        assertThat(index.hasComparisonSites()).isTrue();
        KernelIndex sites = index.comparisonSites();
        assertThat(sites.pointCount()).isPositive();
        for (int s = 0; s < sites.pointCount(); s++) {
            assertThat(sites.chainEnd(s)).as("site %d has a chain", s).isGreaterThan(sites.chainStart(s));
        }
        // main calls assume_not_nine, which tail-calls const_cmp4: the return address after that call
        // is in the comparison tail table with exactly that one site.
        long tail = -1;
        for (int s = 0; s < sites.pointCount(); s++) {
            if (ComparisonType.isTailCall(sites.pointKind(s))) {
                tail = sites.pointAddress(s);
                assertThat(sites.frameFunction(sites.chainStart(s))).isEqualTo("assume_not_nine");
            }
        }
        assertThat(tail).isPositive();
        assertThat(sites.tailReturnAddressCount()).isEqualTo(1);
        assertThat(sites.tailCandidates(0)).containsExactly(sites.findPoint(tail));
    }

    private static String describe(byte type) {
        String mnemonic = ComparisonType.isTailCall(type) ? "jmp " : "call ";
        switch (ComparisonType.kind(type)) {
            case SWITCH:
                return mnemonic + "__sanitizer_cov_trace_switch";
            case CONST:
                return mnemonic + "__sanitizer_cov_trace_const_cmp" + ComparisonType.size(type);
            default:
                return mnemonic + "__sanitizer_cov_trace_cmp" + ComparisonType.size(type);
        }
    }

    private Path build() throws IOException, InterruptedException {
        NativeTools.assume("gcc");
        try (InputStream in = getClass().getResourceAsStream("/points/comparisons.c")) {
            Files.write(dir.resolve("comparisons.c"), in.readAllBytes());
        }
        try (InputStream in = getClass().getResourceAsStream("/points/harness.c")) {
            Files.write(dir.resolve("harness.c"), in.readAllBytes());
        }
        NativeTools.run(dir, List.of("gcc", "-O2", "-c", "harness.c", "-o", "harness.o"));
        return NativeTools.compile(dir, "gcc", "comparisons", List.of("-O2", "-g", "-fsanitize-coverage=trace-cmp",
                "harness.o"), "comparisons.c");
    }
}
