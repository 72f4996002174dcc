package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The branch scan must find exactly the callback calls and jumps objdump disassembles. */
class CoveragePointScannerTest {
    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"gcc, -O0", "gcc, -O2", "clang, -O0", "clang, -O2"})
    void scanEqualsObjdump(String compiler, String optimization) throws Exception {
        String name = compiler + optimization;
        Path program = CoverageHarness.build(dir, compiler, name,
                List.of(optimization, "-g", "-fsanitize-coverage=trace-pc,trace-cmp"));
        Map<String, Map<String, TreeSet<Long>>> objdump = CoverageHarness.objdumpBranches(program);

        CoveragePoints points;
        try (ElfFile elf = ElfFile.open(program)) {
            points = CoveragePointScanner.scan(elf);
        }

        assertThat(points.calls()).isNotEmpty()
                .containsExactly(sites(objdump.get("call"), "__sanitizer_cov_trace_pc"));
        assertThat(points.tails()).containsExactly(sites(objdump.get("jmp"), "__sanitizer_cov_trace_pc"));
        assertThat(points.comparisons()).isNotEmpty()
                .containsExactly(sites(objdump.get("call"), "__sanitizer_cov_trace_cmp1", "__sanitizer_cov_trace_cmp2",
                        "__sanitizer_cov_trace_cmp4", "__sanitizer_cov_trace_cmp8", "__sanitizer_cov_trace_const_cmp1",
                        "__sanitizer_cov_trace_const_cmp2", "__sanitizer_cov_trace_const_cmp4",
                        "__sanitizer_cov_trace_const_cmp8", "__sanitizer_cov_trace_switch"));
        assertThat(points.callLength()).isEqualTo(5);
        if (compiler.equals("gcc") && optimization.equals("-O2")) {
            // GCC 12 tail-calls the callback at the end of one_tail, two_tails and by_pointer.
            assertThat(points.tails()).hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void arm64CallsThroughLinkerVeneersEqualObjdump() throws Exception {
        Path program = CoverageHarness.buildArm64(dir, "arm64-O2");
        Map<String, Map<String, TreeSet<Long>>> objdump = CoverageHarness.objdumpBranches(program,
                "aarch64-linux-gnu-objdump");
        CoveragePoints points;
        try (ElfFile elf = ElfFile.open(program)) {
            assertThat(elf.symbols().lookup("____sanitizer_cov_trace_pc_veneer")).as("the link made a veneer")
                    .isNotNull();
            points = CoveragePointScanner.scan(elf);
        }
        assertThat(points.callLength()).isEqualTo(4);
        assertThat(points.calls()).isNotEmpty()
                .containsExactly(sites(objdump.get("call"), "__sanitizer_cov_trace_pc"));
        assertThat(points.tails()).containsExactly(sites(objdump.get("jmp"), "__sanitizer_cov_trace_pc"));
        assertThat(points.comparisons()).isNotEmpty()
                .containsExactly(sites(objdump.get("call"), "__sanitizer_cov_trace_cmp1", "__sanitizer_cov_trace_cmp2",
                        "__sanitizer_cov_trace_cmp4", "__sanitizer_cov_trace_cmp8", "__sanitizer_cov_trace_const_cmp1",
                        "__sanitizer_cov_trace_const_cmp2", "__sanitizer_cov_trace_const_cmp4",
                        "__sanitizer_cov_trace_const_cmp8", "__sanitizer_cov_trace_switch"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"gcc", "clang"})
    void uninstrumentedImageHasNoPoints(String compiler) throws Exception {
        Path program = CoverageHarness.build(dir, compiler, compiler + "-plain", List.of("-O2"));
        try (ElfFile elf = ElfFile.open(program)) {
            CoveragePoints points = CoveragePointScanner.scan(elf);
            assertThat(points.calls()).isEmpty();
            assertThat(points.tails()).isEmpty();
            assertThat(points.comparisons()).isEmpty();
        }
    }

    private static long[] sites(Map<String, TreeSet<Long>> byTarget, String... targets) {
        TreeSet<Long> all = new TreeSet<>();
        for (String t : targets) {
            all.addAll(byTarget.getOrDefault(t, new TreeSet<>()));
        }
        long[] out = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }
}
