package dev.kcovexplorer.symbolizer;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.points.ComparisonType;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gcc-built stand-in for a kernel module ({@link ModuleFixture}), placed at chosen section addresses,
 * against the same object linked by {@code ld} at those addresses: objdump's calls and jumps of the
 * kcov callbacks there are our coverage points and comparison sites here, and llvm-symbolizer's inline
 * chain at each of them (and at every instruction) is ours, file:line for file:line.
 */
class PlacedModuleAgainstOraclesTest {
    /** Where the demo kernel (no KASLR) loads modules; the stubs stand for vmlinux functions a call reaches. */
    private static final long BASE = 0xffffffffc0210000L;
    private static final long STUBS = 0xffffffffc0400000L;
    private static final String TRACE_PC = "__sanitizer_cov_trace_pc";

    @TempDir
    static Path dir;

    record Variant(String name, List<String> flags) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Variant> variants() {
        return List.of(new Variant("dwarf4", List.of("-gdwarf-4")), new Variant("dwarf5", List.of("-gdwarf-5")),
                new Variant("dwarf4-function-sections", List.of("-gdwarf-4", "-ffunction-sections")),
                new Variant("dwarf5-function-sections", List.of("-gdwarf-5", "-ffunction-sections")));
    }

    private static void requireTools() {
        for (String tool : List.of("gcc", "ld", "nm", "readelf", "objdump", "llvm-symbolizer")) {
            NativeTools.assume(tool);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void pointsSitesAndChainsEqualTheLinkedObjects(Variant variant) throws Exception {
        requireTools();
        ModuleFixture fixture = ModuleFixture.build(dir.resolve(variant.name()), variant.flags());
        Map<String, Long> layout = fixture.layout(BASE);
        Path linked = fixture.link("linked", layout, STUBS);
        var branches = CoverageHarness.objdumpBranches(linked);

        KernelIndex index;
        try (ElfFile placed = ElfFile.openPlaced(fixture.object(), layout)) {
            index = new KernelIndexBuilder().build(placed, BuildMonitor.SILENT);
            assertThat(index.buildId()).as("ld -r --build-id").isNotNull();
        }
        assertThat(sitesOf(index, KernelIndex.CALL)).as("calls of the callback")
                .isEqualTo(branches.get("call").get(TRACE_PC));
        assertThat(sitesOf(index, KernelIndex.TAIL_CALL)).as("tail calls of the callback")
                .isEqualTo(branches.get("jmp").get(TRACE_PC)).isNotEmpty();
        assertComparisonSites(index.comparisonSites(), branches);
        assertRemoteSections(index, branches);
        assertPointsInEveryTextSection(index, fixture, layout);

        long[] points = LongStream.range(0, index.pointCount()).map(p -> index.pointAddress((int) p)).toArray();
        List<List<Frame>> chains = new ArrayList<>();
        for (int p = 0; p < index.pointCount(); p++) {
            chains.add(index.frames(p));
        }
        Agreement atPoints = Agreement.of(points, chains, Oracles.llvmSymbolizer(linked, points));
        System.out.println(variant + " coverage points: " + atPoints);
        atPoints.differences().stream().limit(10).forEach(System.out::println);
        assertThat(atPoints.chainRate()).as(atPoints.toString()).isEqualTo(1.0);
        assertThat(atPoints.functionRate()).as(atPoints.toString()).isEqualTo(1.0);
        assertThat(chains.stream().anyMatch(c -> c.size() >= 2)).as("inlined frames at some point").isTrue();

        long[] instructions = Oracles.instructionAddresses(linked);
        assertThat(instructions.length).as("instructions objdump lists").isGreaterThan(points.length * 5);
        List<List<Frame>> ours;
        try (Symbolizer s = Symbolizer.openPlaced(fixture.object(), layout)) {
            ours = s.symbolize(instructions);
        }
        Agreement everywhere = Agreement.of(instructions, ours, Oracles.llvmSymbolizer(linked, instructions));
        System.out.println(variant + " every instruction: " + everywhere);
        everywhere.differences().stream().limit(10).forEach(System.out::println);
        assertThat(everywhere.chainRate()).as(everywhere.toString()).isEqualTo(1.0);
        assertThat(everywhere.functionRate()).as(everywhere.toString()).isEqualTo(1.0);

        // The tail-call table and everything else the vmlinux path reads from the linked twin.
        KernelIndex twin;
        try (ElfFile exec = ElfFile.open(linked)) {
            twin = new KernelIndexBuilder().build(exec, BuildMonitor.SILENT);
        }
        assertThat(index.tailReturnAddressCount()).as("return addresses after calls of tail-calling functions")
                .isPositive();
        assertSameAttribution(index, twin);
        assertSameAttribution(index.comparisonSites(), twin.comparisonSites());
    }

    /** A layout with .text alone (what /proc/modules allows): the other sections' points are unreachable. */
    @Test
    void textAloneKeepsOnlyItsPointsAndTheirChains() throws Exception {
        requireTools();
        ModuleFixture fixture = ModuleFixture.build(dir.resolve("text-alone"), List.of("-gdwarf-5"));
        Map<String, Long> full = fixture.layout(BASE);
        Path linked = fixture.link("linked", full, STUBS);
        long text = full.get(".text");
        long textEnd = text + fixture.sections().stream().filter(s -> s.name().equals(".text")).findFirst()
                .orElseThrow().size();
        TreeSet<Long> expected = new TreeSet<>(CoverageHarness.objdumpBranches(linked).get("call").get(TRACE_PC)
                .subSet(text, textEnd));

        KernelIndex index;
        try (ElfFile placed = ElfFile.openPlaced(fixture.object(), Map.of(".text", text))) {
            assertThat(placed.executableSections()).extracting(s -> s.name()).containsExactly(".text");
            index = new KernelIndexBuilder().build(placed, BuildMonitor.SILENT);
        }
        assertThat(sitesOf(index, KernelIndex.CALL)).isEqualTo(expected).isNotEmpty();
        long[] points = LongStream.range(0, index.pointCount()).map(p -> index.pointAddress((int) p)).toArray();
        List<List<Frame>> chains = new ArrayList<>();
        for (int p = 0; p < points.length; p++) {
            chains.add(index.frames(p));
        }
        Agreement a = Agreement.of(points, chains, Oracles.llvmSymbolizer(linked, points));
        System.out.println(".text alone: " + a);
        assertThat(a.chainRate()).as(a.toString()).isEqualTo(1.0);
    }

    private static TreeSet<Long> sitesOf(KernelIndex index, byte kind) {
        TreeSet<Long> out = new TreeSet<>();
        for (int p = 0; p < index.pointCount(); p++) {
            if (index.pointKind(p) == kind) {
                out.add(index.pointAddress(p));
            }
        }
        return out;
    }

    private static void assertComparisonSites(KernelIndex sites, Map<String, Map<String, TreeSet<Long>>> branches) {
        TreeSet<Long> expected = new TreeSet<>();
        TreeSet<Long> switches = new TreeSet<>();
        for (String mnemonic : List.of("call", "jmp")) {
            branches.get(mnemonic).forEach((callee, at) -> {
                if (ComparisonType.ofCallback(callee) >= 0) {
                    expected.addAll(at);
                }
                if (callee.equals("__sanitizer_cov_trace_switch")) {
                    switches.addAll(at);
                }
            });
        }
        TreeSet<Long> ours = new TreeSet<>();
        TreeSet<Long> ourSwitches = new TreeSet<>();
        for (int p = 0; p < sites.pointCount(); p++) {
            ours.add(sites.pointAddress(p));
            if (ComparisonType.kind(sites.pointKind(p)) == ComparisonType.Kind.SWITCH) {
                ourSwitches.add(sites.pointAddress(p));
            }
        }
        assertThat(ours).as("comparison sites").isEqualTo(expected).isNotEmpty();
        assertThat(ourSwitches).as("switch sites").isEqualTo(switches).isNotEmpty();
    }

    private static void assertRemoteSections(KernelIndex index, Map<String, Map<String, TreeSet<Long>>> branches) {
        TreeSet<Long> starts = new TreeSet<>();
        TreeSet<Long> stops = new TreeSet<>();
        for (int s = 0; s < index.remoteSites().count(); s++) {
            (index.remoteSites().isStart(s) ? starts : stops).add(index.remoteSites().address(s));
        }
        assertThat(starts).as("kcov_remote_start calls").isEqualTo(branches.get("call").get("kcov_remote_start"))
                .isNotEmpty();
        TreeSet<Long> expectedStops = new TreeSet<>();
        for (String mnemonic : List.of("call", "jmp")) {
            expectedStops.addAll(branches.get(mnemonic).getOrDefault("kcov_remote_stop", new TreeSet<>()));
        }
        assertThat(stops).as("kcov_remote_stop calls and tail calls").isEqualTo(expectedStops).isNotEmpty();
    }

    /** Points in .text, .init.text, .exit.text and a cold section: every kind of text section was placed. */
    private static void assertPointsInEveryTextSection(KernelIndex index, ModuleFixture fixture, Map<String, Long> layout) {
        List<String> withPoints = new ArrayList<>();
        for (ModuleFixture.Section s : fixture.sections()) {
            if (!s.isExecutable() || s.size() == 0) {
                continue;
            }
            long start = layout.get(s.name());
            boolean any = false;
            for (int p = 0; p < index.pointCount() && !any; p++) {
                any = Long.compareUnsigned(index.pointAddress(p) - start, s.size()) < 0;
            }
            if (any) {
                withPoints.add(s.name());
            }
        }
        assertThat(withPoints).contains(".init.text", ".exit.text")
                .anyMatch(n -> n.startsWith(".text.unlikely"))
                .anyMatch(n -> n.equals(".text") || n.startsWith(".text.port"));
    }

    private static void assertSameAttribution(KernelIndex ours, KernelIndex twin) {
        assertThat(ours.rawPoints()).isEqualTo(twin.rawPoints());
        assertThat(ours.rawPointKinds()).isEqualTo(twin.rawPointKinds());
        assertThat(ours.rawTailReturnAddresses()).isEqualTo(twin.rawTailReturnAddresses());
        assertThat(ours.rawTailCandidateStart()).isEqualTo(twin.rawTailCandidateStart());
        assertThat(ours.rawTailCandidates()).isEqualTo(twin.rawTailCandidates());
        for (int p = 0; p < ours.pointCount(); p++) {
            assertThat(ours.frames(p)).as("chain of 0x%x", ours.pointAddress(p)).isEqualTo(twin.frames(p));
        }
        assertThat(Arrays.equals(ours.rawStrings(), new String[0])).isFalse();
    }
}
