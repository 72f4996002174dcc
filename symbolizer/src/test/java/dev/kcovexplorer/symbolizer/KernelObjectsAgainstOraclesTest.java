package dev.kcovexplorer.symbolizer;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real kcov-instrumented kernel code as a module would carry it: objects of a kernel build tree (what
 * {@code ld -r} joins into a {@code .ko}) placed at module addresses, against the same object linked by
 * ld there. Opt-in: set {@code KCOV_EXPLORER_KERNEL_TREE} to a kcov kernel build tree (the demo kernel's
 * is {@code ~/.cache/kcov-explorer/kernel/src}); objects it has not built are skipped.
 */
class KernelObjectsAgainstOraclesTest {
    private static final long BASE = 0xffffffffc0200000L;
    private static final long STUBS = 0xffffffffc1000000L;
    private static final String TRACE_PC = "__sanitizer_cov_trace_pc";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"drivers/usb/core/hub.o", "drivers/vhost/vhost.o", "kernel/signal.o", "net/core/dev.o",
        "fs/namei.o", "mm/memory.o"})
    void pointsSitesTailTableAndChainsEqualTheLinkedObjects(String relative) throws Exception {
        String tree = System.getenv("KCOV_EXPLORER_KERNEL_TREE");
        assumeTrue(tree != null, "set KCOV_EXPLORER_KERNEL_TREE to a kcov kernel build tree to check its objects");
        Path object = Path.of(tree, relative);
        assumeTrue(Files.isRegularFile(object), object + " is not built");
        for (String tool : List.of("ld", "nm", "readelf", "objdump", "llvm-symbolizer")) {
            NativeTools.assume(tool);
        }
        ModuleFixture fixture = ModuleFixture.of(object, dir);
        Map<String, Long> layout = fixture.textLayout(BASE);
        Path linked = fixture.link("linked", layout, STUBS);
        var branches = CoverageHarness.objdumpBranches(linked);

        KernelIndex index;
        try (ElfFile placed = ElfFile.openPlaced(fixture.object(), layout)) {
            index = new KernelIndexBuilder().build(placed, BuildMonitor.SILENT);
        }
        KernelIndex twin;
        try (ElfFile exec = ElfFile.open(linked)) {
            twin = new KernelIndexBuilder().build(exec, BuildMonitor.SILENT);
        }
        TreeSet<Long> calls = new TreeSet<>();
        TreeSet<Long> tails = new TreeSet<>();
        for (int p = 0; p < index.pointCount(); p++) {
            (index.pointKind(p) == KernelIndex.CALL ? calls : tails).add(index.pointAddress(p));
        }
        assertThat(calls).isEqualTo(branches.get("call").get(TRACE_PC)).isNotEmpty();
        assertThat(tails).isEqualTo(branches.get("jmp").getOrDefault(TRACE_PC, new TreeSet<>()));
        assertThat(index.rawPoints()).isEqualTo(twin.rawPoints());
        assertThat(index.rawTailReturnAddresses()).isEqualTo(twin.rawTailReturnAddresses());
        assertThat(index.rawTailCandidates()).isEqualTo(twin.rawTailCandidates());
        assertThat(index.comparisonSites().rawPoints()).isEqualTo(twin.comparisonSites().rawPoints());
        assertThat(index.comparisonSites().rawPointKinds()).isEqualTo(twin.comparisonSites().rawPointKinds());

        for (KernelIndex points : List.of(index, index.comparisonSites())) {
            long[] addresses = points.rawPoints();
            List<List<Frame>> chains = new ArrayList<>();
            for (int p = 0; p < addresses.length; p++) {
                chains.add(points.frames(p));
            }
            Agreement a = Agreement.of(addresses, chains, Oracles.llvmSymbolizer(linked, addresses));
            System.out.println(relative + (points == index ? " coverage points: " : " comparison sites: ") + a);
            a.differences().stream().limit(5).forEach(System.out::println);
            assertThat(a.chainRate()).as(a.toString()).isEqualTo(1.0);
            // Aliases at one address (__x64_sys_foo / __ia32_sys_foo) are named after either.
            assertThat(a.functionRate()).as(a.toString()).isGreaterThanOrEqualTo(0.99);
        }
    }
}
