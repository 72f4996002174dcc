package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;
import dev.kcovexplorer.symbolizer.external.SymbolizerPool;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import dev.kcovexplorer.symbolizer.points.CoveragePoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The index holds every point, its kind, and the chain the symbolizer gave its call site. */
class KernelIndexBuilderTest {
    @TempDir
    static Path dir;
    static Path program;

    @BeforeAll
    static void build() throws Exception {
        program = CoverageHarness.build(dir, "gcc", "index-O2", List.of("-O2", "-g", "-fsanitize-coverage=trace-pc"));
    }

    @Test
    void pointsAndChainsComeFromTheScanAndTheSymbolizer() throws Exception {
        NativeTools.assume("llvm-symbolizer");
        KernelIndex index = new KernelIndexBuilder(elf -> ExternalBackend.LLVM.open(elf.path()))
                .build(program, BuildMonitor.SILENT);
        CoveragePoints scanned;
        try (ElfFile elf = ElfFile.open(program)) {
            scanned = CoveragePointScanner.scan(elf);
            assertThat(index.arch()).isEqualTo("x86_64");
            assertThat(index.buildId()).isEqualTo(elf.buildId());
        }
        long[] all = LongStream.concat(LongStream.of(scanned.calls()), LongStream.of(scanned.tails())).sorted().toArray();
        assertThat(index.rawPoints()).containsExactly(all);
        for (long tail : scanned.tails()) {
            assertThat(index.pointKind(index.findPoint(tail))).isEqualTo(KernelIndex.TAIL_CALL);
        }

        List<List<Frame>> expected;
        try (SymbolizerPool llvm = ExternalBackend.LLVM.open(program)) {
            expected = llvm.symbolize(all);
        }
        for (int p = 0; p < all.length; p++) {
            List<String> chain = new ArrayList<>();
            for (int f = index.chainStart(p); f < index.chainEnd(p); f++) {
                chain.add(index.frameFunction(f) + " " + index.frameFile(f) + ":" + index.frameLine(f));
            }
            List<String> want = expected.get(p).stream().map(f -> f.function() + " " + f.file() + ":" + f.line()).toList();
            assertThat(chain).as("point 0x%x", all[p]).isEqualTo(want).isNotEmpty();
        }
        assertThat(index.compDir()).isEqualTo(dir.toRealPath().toString());
        assertThat(index.tailReturnAddressCount()).isPositive();
    }

    @Test
    void ourDwarfReaderGivesTheChainsLlvmSymbolizerGives() throws Exception {
        OursAndLlvm both = OursAndLlvm.build(program);
        both.assertSameChains(UnaryOperator.identity());
        assertThat(both.ours().rawTailReturnAddresses()).isEqualTo(both.llvm().rawTailReturnAddresses());
        assertThat(both.ours().compDir()).isEqualTo(dir.toRealPath().toString());
    }

    @Test
    void aCancelledBuildStops() {
        BuildMonitor cancelled = new BuildMonitor() {
            @Override
            public void progress(String step, long done, long total) {
            }

            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        assertThatThrownBy(() -> new KernelIndexBuilder(elf -> ExternalBackend.LLVM.open(elf.path()))
                .build(program, cancelled)).isInstanceOf(CancellationException.class);
    }

    @Test
    void ourReaderStopsWhenCancelledWhileItSymbolizes() {
        List<String> steps = new ArrayList<>();
        BuildMonitor cancelledOnceSymbolizing = new BuildMonitor() {
            @Override
            public void progress(String step, long done, long total) {
                steps.add(step);
            }

            @Override
            public boolean isCancelled() {
                return steps.contains("symbolizing points");
            }
        };
        assertThatThrownBy(() -> new KernelIndexBuilder().build(program, cancelledOnceSymbolizing))
                .isInstanceOf(CancellationException.class);
        assertThat(steps).contains("scanning coverage points", "symbolizing points");
    }
}
