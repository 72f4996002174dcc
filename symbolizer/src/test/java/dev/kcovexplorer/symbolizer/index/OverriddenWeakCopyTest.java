package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.Oracles;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import dev.kcovexplorer.symbolizer.points.CoveragePoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A weak definition overridden by a strong one: the linker keeps the weak copy's code, drops its symbol and sends
 * every call to the strong one. The demo kernel has 548 coverage points in such copies (407 in kernel/sys_ni.c's
 * COND_SYSCALL stubs, the rest __weak arch_* defaults); no run can reach them, so they are no coverage points.
 * Expectations come from nm (the function symbols and their sizes), objdump (the callback calls) and
 * llvm-symbolizer (that the calls outside every function are the weak copy's).
 */
class OverriddenWeakCopyTest {
    @Test
    void theOverriddenCopysCallsAreNoPoints(@TempDir Path dir) throws Exception {
        NativeTools.assume("nm");
        NativeTools.assume("llvm-symbolizer");
        Path program = build(dir);
        List<String> archHooks = NativeTools.run(dir, List.of("nm", "--defined-only", program.toString())).lines()
                .filter(line -> line.endsWith(" arch_hook")).toList();
        assertThat(archHooks).as("one arch_hook symbol, the strong one").singleElement().asString().contains(" T ");
        LongPredicate inFunction = CoverageHarness.inFunctionSymbols(program);
        long[] sites = callbackSites(program);
        long[] live = LongStream.of(sites).filter(inFunction).toArray();
        long[] dead = LongStream.of(sites).filter(inFunction.negate()).toArray();
        assertThat(dead).as("the linker kept the weak copy's code, without a symbol").isNotEmpty();
        for (List<Frame> chain : Oracles.llvmSymbolizer(program, dead)) {
            assertThat(chain.get(chain.size() - 1).file()).endsWith("/weak_default.c");
        }

        try (ElfFile elf = ElfFile.open(program)) {
            assertThat(pointsOf(elf)).containsExactly(live);
            KernelIndex index = new KernelIndexBuilder().build(elf, BuildMonitor.SILENT);
            assertThat(index.rawPoints()).containsExactly(live);
            for (int f = 0; f < index.frameCount(); f++) {
                assertThat(index.frameFile(f)).doesNotEndWith("/weak_default.c");
            }
        }
    }

    /** Without the static functions' symbols, code outside the global ones may well run: every call counts. */
    @Test
    void anImageWithoutLocalSymbolsKeepsEveryCall(@TempDir Path dir) throws Exception {
        NativeTools.assume("strip");
        Path program = build(dir);
        Path stripped = dir.resolve("weak-copy-x");
        NativeTools.run(dir, List.of("strip", "--discard-all", "-o", stripped.toString(), program.toString()));
        LongPredicate inFunction = CoverageHarness.inFunctionSymbols(stripped);
        long[] sites = callbackSites(program);
        assertThat(LongStream.of(sites).filter(inFunction.negate()).count())
                .as("the weak copy's calls and static twice's lie outside the global symbols").isGreaterThan(3);
        try (ElfFile elf = ElfFile.open(stripped)) {
            assertThat(pointsOf(elf)).containsExactly(sites);
        }
    }

    private Path build(Path dir) throws Exception {
        CallbackPrograms.prepare(dir, "strong_override.c", "weak_default.c");
        // The weak copy is linked after the strong definition, so a sized function precedes it: crt's frame_dummy
        // has no size, and a function without one reaches to the next symbol (as llvm-symbolizer assumes).
        return NativeTools.compile(dir, "gcc", "weak-copy", List.of("-O2", "-g", "-fsanitize-coverage=trace-pc"),
                "strong_override.c", "weak_default.c", "callback.o");
    }

    /** objdump's calls and tail calls of the callback, ascending. */
    private static long[] callbackSites(Path program) throws Exception {
        var objdump = CoverageHarness.objdumpBranches(program);
        TreeSet<Long> sites = new TreeSet<>(objdump.get("call").get("__sanitizer_cov_trace_pc"));
        sites.addAll(objdump.get("jmp").getOrDefault("__sanitizer_cov_trace_pc", new TreeSet<>()));
        return sites.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] pointsOf(ElfFile elf) {
        CoveragePoints scanned = CoveragePointScanner.scan(elf);
        return LongStream.concat(LongStream.of(scanned.calls()), LongStream.of(scanned.tails())).sorted().toArray();
    }
}
