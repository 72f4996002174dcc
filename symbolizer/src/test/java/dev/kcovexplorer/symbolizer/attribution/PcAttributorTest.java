package dev.kcovexplorer.symbolizer.attribution;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attribution of real return addresses: the harness records {@code __builtin_return_address(0)} in
 * its callback like kcov does, including the caller's return addresses GCC's tail calls leave.
 * Expectations come from objdump's disassembly of the same binary.
 */
class PcAttributorTest {
    @TempDir
    static Path dir;
    static Path program;
    static long[] pcs;
    static KernelIndex index;
    static ReturnAddressInspector inspector;
    static ElfFile elf;
    static Map<String, Map<String, TreeSet<Long>>> objdump;

    @BeforeAll
    static void build() throws Exception {
        program = CoverageHarness.build(dir, "gcc", "attr-O2", List.of("-O2", "-g", "-fsanitize-coverage=trace-pc"));
        pcs = CoverageHarness.runAndCollectPcs(program);
        objdump = CoverageHarness.objdumpBranches(program);
        elf = ElfFile.open(program);
        index = KernelIndexBuilder.pointsOnly(elf);
        inspector = ReturnAddressInspector.of(elf);
    }

    @Test
    void returnAddressesMatchCallsAndTailCallsAreAttributed() {
        PcAttribution a = PcAttributor.attribute(pcs, index, inspector);

        assertThat(a.pcKind()).isEqualTo(PcKind.RETURN_ADDRESS);
        assertThat(a.uniquePcs()).isEqualTo(pcs.length);
        Set<Long> callReturns = objdump.get("call").get("__sanitizer_cov_trace_pc").stream().map(s -> s + 5)
                .collect(Collectors.toSet());
        assertThat(a.matched()).isEqualTo((int) Arrays.stream(pcs).filter(callReturns::contains).count());
        assertThat(a.matched() + a.attributedExact() + a.attributedCandidates() + a.unresolved()).isEqualTo(pcs.length);
        assertThat(a.warning()).isNull();

        // one_tail's single tail site, reached directly, through hop's "jmp one_tail" and through hop_hop's "jmp hop".
        long[] oneTailSites = tailSitesIn("one_tail");
        assertThat(oneTailSites).hasSize(1);
        for (String caller : List.of("one_tail", "hop", "hop_hop")) {
            for (long site : objdump.get("call").get(caller)) {
                int i = indexOf(site + 5);
                assertThat(a.outcome(i)).as("after call %s", caller).isEqualTo(Outcome.ATTRIBUTED_EXACT);
                assertThat(addresses(a.points(i))).containsExactly(oneTailSites);
            }
        }
        assertThat(objdump.get("jmp").get("one_tail")).as("GCC turned hop into a tail jump").isNotEmpty();
        assertThat(objdump.get("jmp").get("hop")).as("GCC turned hop_hop into a tail jump").isNotEmpty();

        long[] twoTailSites = tailSitesIn("two_tails");
        assertThat(twoTailSites).hasSize(2);
        for (long site : objdump.get("call").get("two_tails")) {
            int i = indexOf(site + 5);
            assertThat(a.outcome(i)).isEqualTo(Outcome.ATTRIBUTED_CANDIDATES);
            assertThat(addresses(a.points(i))).containsExactly(twoTailSites);
        }

        // cold_hop (uninstrumented) tail-jumps to one_tail, and its .cold part to two_tails: the caller's return
        // address is recorded by any of the three sites. Crediting the cold part's jump to cold_hop.cold, which no
        // one calls, made it an exact hit of one_tail's site, though the harness took the cold path at x == 5.
        assertThat(objdump.get("jmp").get("one_tail")).as("cold_hop's likely path").anyMatch(inFunction("cold_hop"));
        assertThat(objdump.get("jmp").get("two_tails")).as("GCC moved the unlikely path into cold_hop.cold")
                .anyMatch(inFunction("cold_hop.cold"));
        long[] coldHopSites = LongStream.concat(Arrays.stream(oneTailSites), Arrays.stream(twoTailSites)).sorted()
                .toArray();
        for (long site : objdump.get("call").get("cold_hop")) {
            int i = indexOf(site + 5);
            assertThat(a.outcome(i)).as("after call cold_hop").isEqualTo(Outcome.ATTRIBUTED_CANDIDATES);
            assertThat(addresses(a.points(i))).containsExactly(coldHopSites);
        }

        // by_pointer's tail call returns after an indirect call, or after the call of via_pointer, which
        // tail-jumps through the pointer: no way to know the tail-calling function.
        assertThat(a.unresolvedByReason()).containsOnlyKeys(UnresolvedReason.INDIRECT_CALL,
                UnresolvedReason.CALLEE_TAIL_JUMPS_INDIRECTLY);
        for (long site : objdump.get("call").get("via_pointer")) {
            assertThat(a.reason(indexOf(site + 5))).isEqualTo(UnresolvedReason.CALLEE_TAIL_JUMPS_INDIRECTLY);
        }
        assertThat(a.hitPoints()).contains(index.findPoint(oneTailSites[0]));
    }

    @Test
    void callSitesAreRecognizedAsSuch() {
        long[] sites = LongStream.of(pcs).map(pc -> pc - 5).toArray();
        PcAttribution asReturns = PcAttributor.attribute(pcs, index, inspector);
        PcAttribution asSites = PcAttributor.attribute(sites, index, inspector);
        assertThat(asSites.pcKind()).isEqualTo(PcKind.CALL_SITE);
        assertThat(asSites.matched()).isEqualTo(asReturns.matched());
        assertThat(asSites.attributedExact()).isEqualTo(asReturns.attributedExact());
        assertThat(asSites.attributedCandidates()).isEqualTo(asReturns.attributedCandidates());
        assertThat(asSites.unresolvedByReason()).isEqualTo(asReturns.unresolvedByReason());
    }

    @Test
    void withoutTheImageTheReasonSaysSo() {
        PcAttribution a = PcAttributor.attribute(pcs, index, null);
        assertThat(a.unresolvedByReason()).containsOnlyKeys(UnresolvedReason.NOT_IN_INDEX);
    }

    @Test
    void pcsOfAnotherBuildAreForeign() throws Exception {
        Path other = CoverageHarness.build(dir, "clang", "attr-clang", List.of("-O2", "-g",
                "-fsanitize-coverage=trace-pc"));
        PcAttribution a = PcAttributor.attribute(CoverageHarness.runAndCollectPcs(other), index, inspector);
        assertThat(a.foreign()).isTrue();
        assertThat(a.warning()).isEqualTo("these PCs do not belong to this vmlinux");
        assertThat(a.matchRate()).isLessThan(0.9);
    }

    private static long[] tailSitesIn(String function) {
        return objdump.get("jmp").get("__sanitizer_cov_trace_pc").stream().filter(inFunction(function))
                .mapToLong(Long::longValue).toArray();
    }

    private static Predicate<Long> inFunction(String function) {
        ElfSymbol f = elf.symbols().lookup(function);
        return f::contains;
    }

    private static int indexOf(long pc) {
        for (int i = 0; i < pcs.length; i++) {
            if (pcs[i] == pc) {
                return i;
            }
        }
        throw new AssertionError(String.format("the harness recorded no PC 0x%x", pc));
    }

    private static long[] addresses(int[] points) {
        return Arrays.stream(points).mapToLong(index::pointAddress).sorted().toArray();
    }
}
