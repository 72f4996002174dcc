package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.NativeTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kernel built from a copy of another build's tree (sample-data's modular kernel starts from the built-in
 * kernel's objects and recompiles what its options change): most units name the first tree as their comp dir,
 * the recompiled ones the copy. A header both include is one file of the kernel tree, not two (one of them an
 * absolute path under the copy). Here two units are compiled in {@code tree}, one in {@code copy}, all three
 * include {@code helper.h}; llvm-symbolizer says where each frame is, and the index names the copy's files under
 * the tree.
 */
class CopiedTreeIndexTest {
    private static final String HELPER = """
            static inline int helper(int x)
            {
            	if (x > 3)
            		return x * 2;
            	return x + 1;
            }
            """;

    @TempDir
    static Path dir;
    static Path program;
    static String tree;
    static String copy;
    /** The same units, with main.c compiled with DWARF in the directory above the tree and the copy. */
    static Path programWithParentUnit;

    @BeforeAll
    static void build() throws Exception {
        NativeTools.assume("gcc");
        Path treeDir = Files.createDirectories(dir.resolve("tree"));
        Path copyDir = Files.createDirectories(dir.resolve("copy"));
        tree = treeDir.toRealPath().toString();
        copy = copyDir.toRealPath().toString();
        for (Path d : List.of(treeDir, copyDir)) {
            Files.writeString(d.resolve("helper.h"), HELPER);
        }
        Files.writeString(treeDir.resolve("a.c"), "#include \"helper.h\"\nint a_work(int x) { return helper(x) + 1; }\n");
        Files.writeString(treeDir.resolve("c.c"), "#include \"helper.h\"\nint c_work(int x) { return helper(x) - 1; }\n");
        Files.writeString(copyDir.resolve("b.c"), "#include \"helper.h\"\nint b_work(int x) { return helper(x) ^ 5; }\n");
        Files.writeString(dir.resolve("main.c"), """
                void __sanitizer_cov_trace_pc(void) { }
                int a_work(int x);
                int b_work(int x);
                int c_work(int x);
                int main(int argc, char **argv) { (void) argv; return a_work(argc) + b_work(argc) + c_work(argc); }
                """);
        List<String> cflags = List.of("gcc", "-O2", "-g", "-gdwarf-5", "-fsanitize-coverage=trace-pc", "-c");
        NativeTools.run(treeDir, concat(cflags, "a.c"));
        NativeTools.run(treeDir, concat(cflags, "c.c"));
        NativeTools.run(copyDir, concat(cflags, "b.c"));
        NativeTools.run(dir, List.of("gcc", "-O2", "-c", "main.c"));
        program = NativeTools.compile(dir, "gcc", "program", List.of(), "tree/a.o", "copy/b.o", "tree/c.o", "main.o");
        NativeTools.run(dir, List.of("gcc", "-O2", "-g", "-gdwarf-5", "-c", "main.c", "-o", "main-g.o"));
        programWithParentUnit = NativeTools.compile(dir, "gcc", "program-with-parent-unit", List.of(), "tree/a.o",
                "copy/b.o", "tree/c.o", "main-g.o");
    }

    @Test
    void theCopysFilesAreNamedUnderTheTreeMostUnitsShare() throws Exception {
        OursAndLlvm both = OursAndLlvm.build(program);
        KernelIndex ours = both.ours();

        assertThat(ours.compDir()).isEqualTo(tree);
        both.assertSameChains(CopiedTreeIndexTest::underTheTree);
        Set<String> copied = new HashSet<>();
        for (int p = 0; p < both.llvm().pointCount(); p++) {
            both.llvm().frames(p).stream().map(Frame::file).filter(f -> f.startsWith(copy + "/")).forEach(copied::add);
        }
        assertThat(copied).as("llvm-symbolizer names files under the copy").contains(copy + "/helper.h");

        Set<Integer> helperIds = new HashSet<>();
        for (int f = 0; f < ours.frameCount(); f++) {
            if (ours.frameFile(f).endsWith("/helper.h")) {
                helperIds.add(ours.frameFileId(f));
            }
        }
        assertThat(helperIds).as("helper.h is one file of the index").hasSize(1);
    }

    /**
     * A unit compiled in the directory that holds the tree (a test program beside a kernel tree, or a tree nested in
     * an older one) is not a copy of the tree: the tree's own files, which are under that directory too, keep their
     * names instead of being moved to a tree inside the tree.
     */
    @Test
    void aUnitCompiledAboveTheTreeLeavesTheTreesFilesWhereTheyAre() throws Exception {
        OursAndLlvm both = OursAndLlvm.build(programWithParentUnit);

        assertThat(both.ours().compDir()).isEqualTo(tree);
        both.assertSameChains(CopiedTreeIndexTest::underTheTree);
    }

    private static List<String> concat(List<String> flags, String... more) {
        List<String> all = new java.util.ArrayList<>(flags);
        all.addAll(List.of(more));
        return all;
    }

    /** llvm-symbolizer's frames with the copy's files named under the tree, as the index names them. */
    private static List<Frame> underTheTree(List<Frame> frames) {
        return frames.stream().map(f -> new Frame(f.function(), f.linkage(),
                f.file().startsWith(copy + "/") ? tree + f.file().substring(copy.length()) : f.file(), f.line(),
                f.column())).toList();
    }
}
