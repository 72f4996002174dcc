package dev.kcovexplorer.symbolizer.external;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The long-lived external backends: framing, slicing across processes, agreement with the symtab, shutdown. */
class SymbolizerPoolTest {
    @TempDir
    static Path dir;
    static Path program;
    static long[] textAddresses;

    @BeforeAll
    static void build() throws Exception {
        program = CoverageHarness.build(dir, "gcc", "pool-O2", List.of("-O2", "-g", "-fsanitize-coverage=trace-pc"));
        try (ElfFile elf = ElfFile.open(program)) {
            ElfSection text = elf.section(".text");
            textAddresses = LongStream.range(text.address(), text.address() + text.size()).toArray();
        }
    }

    @ParameterizedTest
    @EnumSource(ExternalBackend.class)
    void severalProcessesAnswerLikeOneInInputOrder(ExternalBackend backend) throws Exception {
        NativeTools.assume(backend.executable());
        List<List<Frame>> single;
        try (SymbolizerPool one = SymbolizerPool.open(backend, program, 1)) {
            single = one.symbolize(textAddresses);
            // A second batch on the same process must be framed cleanly after the first.
            assertThat(one.symbolize(new long[] {textAddresses[7], textAddresses[3]}))
                    .containsExactly(single.get(7), single.get(3));
        }
        try (SymbolizerPool three = SymbolizerPool.open(backend, program, 3)) {
            assertThat(three.processCount()).isEqualTo(3);
            assertThat(three.symbolize(textAddresses)).isEqualTo(single);
            assertThat(three.peakRssBytes()).isPositive();
        }
        assertThat(single).hasSize(textAddresses.length);
    }

    @ParameterizedTest
    @EnumSource(ExternalBackend.class)
    void outermostFrameIsTheSymtabFunction(ExternalBackend backend) throws Exception {
        NativeTools.assume(backend.executable());
        try (ElfFile elf = ElfFile.open(program); SymbolizerPool pool = backend.open(program)) {
            List<List<Frame>> frames = pool.symbolize(textAddresses);
            int compared = 0;
            for (int i = 0; i < textAddresses.length; i++) {
                ElfSymbol f = elf.symbols().functionContaining(textAddresses[i]);
                List<Frame> chain = frames.get(i);
                if (f == null || chain.isEmpty() || chain.get(chain.size() - 1).file() == null) {
                    continue; // padding and functions without debug info (crt code)
                }
                // addr2line names the part GCC split off a function (cold_hop.cold) after the function's DWARF entry.
                String expected = backend == ExternalBackend.GNU ? f.name().replaceFirst("\\.cold$", "") : f.name();
                assertThat(chain.get(chain.size() - 1).function()).as("0x%x", textAddresses[i]).isEqualTo(expected);
                compared++;
            }
            assertThat(compared).isGreaterThan(textAddresses.length / 2);
        }
    }

    @Test
    void closeEndsTheProcesses() throws Exception {
        NativeTools.assume("llvm-symbolizer");
        SymbolizerPool pool = SymbolizerPool.open(ExternalBackend.LLVM, program, 2);
        pool.symbolize(new long[] {textAddresses[0]});
        pool.close();
        assertThat(ProcessHandle.current().children().filter(p -> p.info().command().orElse("")
                .contains("llvm-symbolizer"))).isEmpty();
    }

    @Test
    void missingBinaryIsAClearError() {
        assertThatThrownBy(() -> ExternalBackend.LLVM.open(dir.resolve("no-such-vmlinux")))
                .hasMessageContaining("no-such-vmlinux");
    }
}
