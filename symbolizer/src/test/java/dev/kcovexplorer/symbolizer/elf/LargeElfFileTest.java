package dev.kcovexplorer.symbolizer.elf;

import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.Oracles;
import dev.kcovexplorer.symbolizer.Symbolizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files over 2 GiB: a gcc-built program whose .debug_line and section header table are moved past
 * the 3 GiB mark of a sparse file (no disk is used for the hole) must symbolize exactly like the
 * original.
 */
class LargeElfFileTest {
    private static final long FAR = 3L << 30;

    @TempDir
    Path dir;

    @Test
    void sectionsBeyondTwoGibibytesAreRead() throws Exception {
        NativeTools.assume("gcc");
        NativeTools.assume("objdump");
        Files.writeString(dir.resolve("p.c"), """
                static inline int sq(int x) { return x * x; }
                int __attribute__((noinline)) f(int x) { return sq(x) + sq(x + 1); }
                int main(int argc, char **argv) { (void)argv; return f(argc); }
                """);
        Path small = NativeTools.compile(dir, "gcc", "small", List.of("-O2", "-g"), "p.c");
        Path big = dir.resolve("big");
        Files.copy(small, big);
        long lineOffset;
        long shoff;
        int lineIndex;
        int shentsize;
        int shnum;
        try (ElfFile elf = ElfFile.open(small)) {
            ElfSection line = elf.section(".debug_line");
            lineOffset = line.fileOffset();
            lineIndex = line.index();
            shnum = elf.sections().size();
        }
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(header, 0);
            shoff = header.getLong(40);
            shentsize = Short.toUnsignedInt(header.getShort(58));
            ByteBuffer table = ByteBuffer.allocate(shnum * shentsize).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(table, shoff);
            long lineSize = table.getLong(lineIndex * shentsize + 32);
            ByteBuffer lineBytes = ByteBuffer.allocate((int) lineSize);
            ch.read(lineBytes, lineOffset);
            // .debug_line goes to 3 GiB, the section header table right after it.
            ch.write(lineBytes.flip(), FAR);
            table.putLong(lineIndex * shentsize + 24, FAR);
            long newShoff = FAR + lineSize + 64;
            ch.write(table.flip(), newShoff);
            header.putLong(40, newShoff);
            ch.write(header.flip(), 0);
        }
        assertThat(Files.size(big)).isGreaterThan(FAR);
        long[] addresses = Oracles.instructionAddresses(small);
        try (Symbolizer original = Symbolizer.open(small); Symbolizer moved = Symbolizer.open(big)) {
            assertThat(moved.elf().section(".debug_line").fileOffset()).isEqualTo(FAR);
            assertThat(moved.symbolize(addresses)).isEqualTo(original.symbolize(addresses));
            assertThat(moved.symbolize(addresses).stream().filter(c -> c.size() == 2)).isNotEmpty();
        }
    }
}
