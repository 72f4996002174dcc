package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scan against objdump on a real kernel: opt-in, because disassembling a vmlinux takes a minute
 * or two. Set {@code KCOV_EXPLORER_VMLINUX} to a kcov vmlinux (e.g. the demo kernel's) to run it.
 */
class KernelPointScanTest {

    @Test
    void kernelScanEqualsObjdump() throws Exception {
        String vmlinux = System.getenv("KCOV_EXPLORER_VMLINUX");
        assumeTrue(vmlinux != null && Files.isRegularFile(Path.of(vmlinux)),
                "set KCOV_EXPLORER_VMLINUX to a kcov vmlinux to compare its scan with objdump's");
        Path image = Path.of(vmlinux);
        Map<String, Map<String, TreeSet<Long>>> objdump = CoverageHarness.objdumpBranches(image);
        // Calls in code no function symbol covers are overridden weak copies that never run (kernel/sys_ni.c).
        LongPredicate live = CoverageHarness.inFunctionSymbols(image);
        CoveragePoints points;
        try (ElfFile elf = ElfFile.open(image)) {
            points = CoveragePointScanner.scan(elf);
        }
        assertThat(points.calls()).isNotEmpty().containsExactly(
                longs(objdump.get("call").get("__sanitizer_cov_trace_pc"), live));
        assertThat(points.tails()).containsExactly(longs(objdump.get("jmp").getOrDefault("__sanitizer_cov_trace_pc",
                new TreeSet<>()), live));
    }

    private static long[] longs(TreeSet<Long> values, LongPredicate live) {
        return values.stream().mapToLong(Long::longValue).filter(live).toArray();
    }
}
