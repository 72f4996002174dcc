package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import dev.kcovexplorer.symbolizer.points.CoverageHarness.FunctionSymbol;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tail jump in a {@code foo.cold} part whose parent name two static functions carry: no one {@code foo} owns the
 * part by name, so the one function that jumps into it is its parent, and a call of that {@code foo} leads to the tail
 * sites the part reaches. Dropped instead (5e0c2a7), such calls had no candidates. The demo kernel's 46 such parts
 * reach no tail site (its table is the same either way); two translation units of one source make one here, entered
 * by an unconditional {@code jmp} ({@code cold_twin.c}) or only by a conditional {@code je} ({@code cold_jcc_twin.c}).
 * Expectations follow nm's symbols and objdump's branches by address: the call of each {@code foo}, its jump into its
 * cold part, the part's {@code jmp} to its unit's tail function, and that function's tail calls of the callback.
 */
class AmbiguousColdPartTest {
    @Test
    void eachFoosCallersReachTheTailSitesOfWhatItsOwnColdPartJumpsTo(@TempDir Path dir) throws Exception {
        assertCallersOfEachFooReachItsColdPartsTailSites(build(dir, "cold_twin.c"), "jmp");
    }

    /**
     * GCC enters a cold part by a conditional jump where the unlikely path branches off ({@code je foo.cold}), which
     * the branch decoder of calls and tail jumps does not read: the part's tail jump was credited to the part itself,
     * which nobody calls or jumps to, and the calls of either {@code foo} had no candidates.
     */
    @Test
    void aColdPartEnteredOnlyByAConditionalJumpIsItsEnterersToo(@TempDir Path dir) throws Exception {
        assertCallersOfEachFooReachItsColdPartsTailSites(build(dir, "cold_jcc_twin.c"), "jcc");
    }

    /**
     * Each {@code foo} enters its own {@code foo.cold} by {@code entry} ({@code jcc}: by nothing else; cold_twin.c's
     * {@code foo} has a {@code je} into it too), and its calls' candidates are the tail sites the part reaches.
     */
    private static void assertCallersOfEachFooReachItsColdPartsTailSites(Path program, String entry) throws Exception {
        List<FunctionSymbol> functions = CoverageHarness.functionSymbols(program);
        List<FunctionSymbol> foos = named(functions, "foo");
        assertThat(foos).as("two static foo").hasSize(2);
        assertThat(named(functions, "foo.cold")).as("foo.cold parts: gcc -O2 splits each foo's unlikely path off"
                + " (a compiler that does not cannot make this test's program)").hasSize(2);
        long callback = named(functions, "__sanitizer_cov_trace_pc").get(0).start();
        Map<String, Map<Long, TreeSet<Long>>> branches = CoverageHarness.objdumpBranchesByTarget(program);
        Map<Long, TreeSet<Long>> jumps = branches.get("jmp");
        Map<Long, TreeSet<Long>> calls = branches.get("call");
        Map<Long, TreeSet<Long>> entries = branches.get(entry);

        try (ElfFile elf = ElfFile.open(program)) {
            TailCallTable table = TailCallTableBuilder.build(elf, CoveragePointScanner.scan(elf));
            Set<String> reached = new HashSet<>();
            for (FunctionSymbol foo : foos) {
                FunctionSymbol cold = jumpedToFrom(foo, functions, entries);
                assertThat(cold.name()).as("what %s enters by %s", foo, entry).isEqualTo("foo.cold");
                if (entry.equals("jcc")) {
                    assertThat(jumps.getOrDefault(cold.start(), new TreeSet<>())).as("jmp into %s", cold).isEmpty();
                }
                FunctionSymbol tail = jumpedToFrom(cold, functions, jumps);
                long[] tailSites = jumps.getOrDefault(callback, new TreeSet<>()).stream().filter(tail::contains)
                        .mapToLong(Long::longValue).toArray();
                assertThat(tailSites).as("%s's tail calls of the callback", tail).isNotEmpty();
                reached.add(tail.name());
                assertThat(calls.get(foo.start())).as("calls of %s", foo).isNotEmpty();
                for (long call : calls.get(foo.start())) {
                    assertThat(candidates(table, call + 5)).as("after the call of %s at %x", foo, call)
                            .containsExactly(tailSites);
                }
            }
            assertThat(reached).as("each cold part jumps to its own unit's tail function")
                    .containsExactlyInAnyOrder("tail_a", "tail_b");
        }
    }

    private static Path build(Path dir, String twinSource) throws Exception {
        CallbackPrograms.prepare(dir, twinSource, "cold_twins_main.c");
        for (String twin : List.of("a", "b")) {
            NativeTools.run(dir, List.of("gcc", "-O2", "-fsanitize-coverage=trace-pc", "-DTWIN=" + twin, "-c", "-o",
                    "twin_" + twin + ".o", twinSource));
        }
        return NativeTools.compile(dir, "gcc", "cold-twins", List.of("-O2"), "cold_twins_main.c", "twin_a.o",
                "twin_b.o", "callback.o");
    }

    private static List<FunctionSymbol> named(List<FunctionSymbol> functions, String name) {
        return functions.stream().filter(f -> f.name().equals(name)).toList();
    }

    /** The one function whose start {@code from} jumps to by one of {@code jumps} (objdump's {@code jmp} or a {@code jcc}). */
    private static FunctionSymbol jumpedToFrom(FunctionSymbol from, List<FunctionSymbol> functions,
            Map<Long, TreeSet<Long>> jumps) {
        List<FunctionSymbol> targets = functions.stream()
                .filter(f -> jumps.getOrDefault(f.start(), new TreeSet<>()).stream().anyMatch(from::contains))
                .toList();
        assertThat(targets).as("the functions %s jumps to", from).hasSize(1);
        return targets.get(0);
    }

    /** The table's tail sites for a return address, none when it has no entry. */
    private static long[] candidates(TailCallTable table, long returnAddress) {
        int entry = Arrays.binarySearch(table.returnAddresses(), returnAddress);
        if (entry < 0) {
            return new long[0];
        }
        return Arrays.copyOfRange(table.candidates(), table.candidateStart()[entry], table.candidateStart()[entry + 1]);
    }
}
