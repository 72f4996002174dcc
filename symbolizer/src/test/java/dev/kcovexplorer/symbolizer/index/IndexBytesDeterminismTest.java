package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.FrameTable;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same image gives the same index bytes, however the symbolizing workers were scheduled: the
 * string table is numbered by first use in the frames, not by which thread interned a string first.
 * The fixture has three compile units of very different sizes (workers take the largest first), and the
 * smallest comes first in address order.
 */
class IndexBytesDeterminismTest {
    @TempDir
    static Path dir;
    static Path program;

    @BeforeAll
    static void build() throws Exception {
        NativeTools.assume("gcc");
        Files.writeString(dir.resolve("small.c"), """
                int small_one(int x) { return x * 3 + 1; }
                """);
        StringBuilder big = new StringBuilder("""
                static inline int big_helper(int x) { return x > 4 ? x - 4 : x + 9; }
                """);
        for (int i = 0; i < 24; i++) {
            big.append("int big_").append(i).append("(int x) { int s = 0; for (int k = 0; k < x; k++) ")
                    .append("{ s += big_helper(k ^ ").append(i).append("); if (s > ").append(100 + i)
                    .append(") s -= x; } return s; }\n");
        }
        Files.writeString(dir.resolve("big.c"), big.toString());
        Files.writeString(dir.resolve("main.c"), """
                int small_one(int x);
                int big_0(int x);
                static inline int main_helper(int x) { return x & 1 ? small_one(x) : big_0(x); }
                int main(int argc, char **argv) { (void) argv; return main_helper(argc); }
                """);
        Files.writeString(dir.resolve("callback.c"), "void __sanitizer_cov_trace_pc(void) { }\n");
        NativeTools.run(dir, List.of("gcc", "-O2", "-c", "callback.c", "-o", "callback.o"));
        program = NativeTools.compile(dir, "gcc", "program", List.of("-O2", "-g", "-fsanitize-coverage=trace-pc"),
                "small.c", "big.c", "main.c", "callback.o");
    }

    @Test
    void stringsAreNumberedByFirstUseWhateverTheWorkerCount() throws Exception {
        try (Symbolizer symbolizer = Symbolizer.open(program); ElfFile elf = ElfFile.open(program)) {
            long[] addresses = everyByteOf(elf, "small_one", "big_", "main");
            FrameTable one = symbolizer.symbolizeAll(addresses, 1);
            FrameTable three = symbolizer.symbolizeAll(addresses, 3);

            List<String> firstUse = stringsInFirstUseOrder(one);
            assertThat(one.string(one.functionId(0))).as("the input starts in small.c").isEqualTo("small_one");
            assertThat(strings(one)).as("one worker's table in first-use order").isEqualTo(firstUse);
            assertThat(strings(three)).as("three workers' table").isEqualTo(firstUse);
            for (int f = 0; f < one.frameCount(); f++) {
                assertThat(List.of(three.functionId(f), three.linkageId(f), three.fileId(f), three.line(f)))
                        .as("frame %d", f)
                        .isEqualTo(List.of(one.functionId(f), one.linkageId(f), one.fileId(f), one.line(f)));
            }
        }
    }

    @Test
    void twoBuildsOfTheSameImageAreTheSameBytes() throws Exception {
        byte[] first = encoded(new KernelIndexBuilder().build(program, BuildMonitor.SILENT));
        byte[] second = encoded(new KernelIndexBuilder().build(program, BuildMonitor.SILENT));
        assertThat(second).isEqualTo(first);
    }

    private static byte[] encoded(KernelIndex index) {
        ByteBuffer buffer = KernelIndexCodec.encode(index);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Every byte address of the functions whose names start with the prefixes, in the prefixes' order. */
    private static long[] everyByteOf(ElfFile elf, String... prefixes) {
        LongStream all = LongStream.empty();
        for (String prefix : prefixes) {
            for (ElfSymbol f : elf.symbols().functions()) {
                if (f.name().startsWith(prefix)) {
                    all = LongStream.concat(all, LongStream.range(f.address(), f.address() + f.size()));
                }
            }
        }
        return all.toArray();
    }

    /** The distinct strings the frames use, in the order of first use: function, linkage, file of each frame. */
    private static List<String> stringsInFirstUseOrder(FrameTable table) {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (int f = 0; f < table.frameCount(); f++) {
            seen.putIfAbsent(table.string(table.functionId(f)), true);
            if (table.linkageId(f) != FrameTable.NO_LINKAGE) {
                seen.putIfAbsent(table.string(table.linkageId(f)), true);
            }
            seen.putIfAbsent(table.string(table.fileId(f)), true);
        }
        return new ArrayList<>(seen.keySet());
    }

    private static List<String> strings(FrameTable table) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < table.stringCount(); i++) {
            out.add(table.string(i));
        }
        return out;
    }
}
