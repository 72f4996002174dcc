package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One program's index built twice, by our DWARF reader and by llvm-symbolizer (the reference), for the tests that
 * hold ours to llvm-symbolizer's answers.
 */
record OursAndLlvm(KernelIndex ours, KernelIndex llvm) {

    /** Both indexes of {@code program}; skips (fails under CI) without llvm-symbolizer. */
    static OursAndLlvm build(Path program) throws IOException {
        NativeTools.assume("llvm-symbolizer");
        return new OursAndLlvm(new KernelIndexBuilder().build(program, BuildMonitor.SILENT),
                new KernelIndexBuilder(elf -> ExternalBackend.LLVM.open(elf.path())).build(program, BuildMonitor.SILENT));
    }

    /**
     * Asserts that both have the same points and that each point's chain in ours is llvm-symbolizer's, as
     * {@code named} names its files (identity when the index names them as llvm-symbolizer does).
     */
    void assertSameChains(UnaryOperator<List<Frame>> named) {
        assertThat(ours.rawPoints()).isEqualTo(llvm.rawPoints());
        for (int p = 0; p < ours.pointCount(); p++) {
            assertThat(ours.frames(p)).as("point 0x%x", ours.pointAddress(p)).isEqualTo(named.apply(llvm.frames(p)));
        }
    }
}
