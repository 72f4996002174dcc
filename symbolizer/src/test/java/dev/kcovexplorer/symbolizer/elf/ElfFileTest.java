package dev.kcovexplorer.symbolizer.elf;

import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ELF reader against binaries gcc builds here and what readelf / nm say about them. */
class ElfFileTest {
    private static final String SOURCE = """
            #include <stdio.h>
            static int __attribute__((noinline)) helper(int x) { return x * 3 + 1; }
            int __attribute__((noinline)) twice(int x) { return helper(x) + helper(x + 1); }
            int counter;
            int main(int argc, char **argv) { counter = twice(argc); printf("%d\\n", counter); return 0; }
            """;

    @TempDir
    static Path dir;
    static Path plain;

    @BeforeAll
    static void build() throws Exception {
        NativeTools.assume("gcc");
        Files.writeString(dir.resolve("prog.c"), SOURCE);
        plain = NativeTools.compile(dir, "gcc", "plain", List.of("-g", "-O1", "-Wl,--build-id=sha1"), "prog.c");
    }

    @Test
    void sectionsMatchReadelf() throws Exception {
        NativeTools.assume("readelf");
        String readelf = NativeTools.run(dir, List.of("readelf", "-SW", plain.toString()));
        Pattern row = Pattern.compile("\\[\\s*(\\d+)]\\s+(\\S+)\\s+(\\S+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)");
        try (ElfFile elf = ElfFile.open(plain)) {
            assertThat(elf.is64Bit()).isTrue();
            assertThat(elf.machine()).isEqualTo(ElfMachine.X86_64);
            int seen = 0;
            for (String line : readelf.split("\n")) {
                Matcher m = row.matcher(line);
                if (!m.find() || m.group(1).equals("0")) {
                    continue;
                }
                ElfSection s = elf.sections().get(Integer.parseInt(m.group(1)));
                assertThat(s.name()).isEqualTo(m.group(2));
                assertThat(s.address()).isEqualTo(Long.parseUnsignedLong(m.group(4), 16));
                assertThat(s.fileOffset()).isEqualTo(Long.parseUnsignedLong(m.group(5), 16));
                assertThat(s.fileSize()).isEqualTo(Long.parseUnsignedLong(m.group(6), 16));
                seen++;
            }
            assertThat(seen).isEqualTo(elf.sections().size() - 1);
            assertThat(elf.section(".text").isExecutable()).isTrue();
            assertThat(elf.section(".debug_info")).isNotNull();
            assertThat(elf.executableSections()).contains(elf.section(".text"));
        }
    }

    @Test
    void symbolsMatchNm() throws Exception {
        NativeTools.assume("nm");
        String nm = NativeTools.run(dir, List.of("nm", "-S", "--defined-only", plain.toString()));
        try (ElfFile elf = ElfFile.open(plain)) {
            SymbolTable symbols = elf.symbols();
            int functions = 0;
            for (String line : nm.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 4 || !f[2].equalsIgnoreCase("t")) {
                    continue;
                }
                long address = Long.parseUnsignedLong(f[0], 16);
                long size = Long.parseUnsignedLong(f[1], 16);
                ElfSymbol s = symbols.lookup(f[3]);
                assertThat(s).as(f[3]).isNotNull();
                assertThat(s.address()).isEqualTo(address);
                assertThat(s.size()).isEqualTo(size);
                assertThat(symbols.functionContaining(address + size - 1)).isEqualTo(s);
                functions++;
            }
            assertThat(functions).isGreaterThanOrEqualTo(3);
            ElfSymbol helper = symbols.lookup("helper");
            assertThat(helper.binding()).isEqualTo(ElfSymbol.STB_LOCAL);
            assertThat(symbols.functionContaining(helper.address() + 1).name()).isEqualTo("helper");
            assertThat(symbols.functionContaining(0)).isNull();
            assertThat(symbols.lookup("counter").type()).isEqualTo(ElfSymbol.STT_OBJECT);
        }
    }

    @Test
    void buildIdMatchesReadelfNotes() throws Exception {
        NativeTools.assume("readelf");
        String notes = NativeTools.run(dir, List.of("readelf", "-n", plain.toString()));
        Matcher m = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(notes);
        assertThat(m.find()).isTrue();
        try (ElfFile elf = ElfFile.open(plain)) {
            assertThat(elf.buildId()).isEqualTo(m.group(1));
        }
    }

    @Test
    void compressedSectionsInflateToTheUncompressedBytes() throws Exception {
        NativeTools.assume("objcopy");
        Path zlib = dir.resolve("zlib");
        Path zstd = dir.resolve("zstd");
        Path gnu = dir.resolve("zlib-gnu");
        NativeTools.run(dir, List.of("objcopy", "--compress-debug-sections=zlib", plain.toString(), zlib.toString()));
        NativeTools.run(dir, List.of("objcopy", "--compress-debug-sections=zstd", plain.toString(), zstd.toString()));
        NativeTools.run(dir, List.of("objcopy", "--compress-debug-sections=zlib-gnu", plain.toString(), gnu.toString()));
        try (ElfFile original = ElfFile.open(plain); ElfFile z = ElfFile.open(zlib); ElfFile s = ElfFile.open(zstd);
             ElfFile g = ElfFile.open(gnu)) {
            // objcopy leaves a section uncompressed when that would not make it smaller; .debug_info shrinks.
            assertThat(z.section(".debug_info").isCompressed()).isTrue();
            assertThat(s.section(".debug_info").isCompressed()).isTrue();
            assertThat(g.section(".debug_info").name()).isEqualTo(".zdebug_info");
            for (String name : List.of(".debug_info", ".debug_line", ".debug_abbrev", ".debug_str")) {
                ByteBuffer expected = original.section(name).contents();
                assertThat(z.section(name).contents()).as("zlib " + name).isEqualTo(expected);
                assertThat(s.section(name).contents()).as("zstd " + name).isEqualTo(expected);
                assertThat(g.section(name).contents()).as("zdebug " + name).isEqualTo(expected);
                assertThat(z.section(name).size()).isEqualTo(expected.capacity());
            }
        }
    }

    @Test
    void thirtyTwoBitFilesAreRead() throws Exception {
        NativeTools.assume("gcc");
        Path m32;
        try {
            m32 = NativeTools.compile(dir, "gcc", "m32", List.of("-m32", "-g", "-nostdlib", "-static", "-Wl,-e,twice"),
                    write("prog32.c", "int twice(int x) { return x * 2; }\n"));
        } catch (IOException e) {
            Requirements.require(false, "gcc cannot build -m32 here: " + e.getMessage());
            return;
        }
        try (ElfFile elf = ElfFile.open(m32)) {
            assertThat(elf.is64Bit()).isFalse();
            assertThat(elf.machine()).isEqualTo(ElfMachine.I386);
            ElfSymbol twice = elf.symbols().lookup("twice");
            assertThat(twice.address()).isEqualTo(elf.entry());
            assertThat(elf.section(".debug_info").contents().capacity()).isPositive();
        }
    }

    private static String write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
        return name;
    }

    @Test
    void malformedFilesGiveClearErrors() throws Exception {
        byte[] bytes = Files.readAllBytes(plain);
        Path notElf = dir.resolve("not-elf");
        Files.writeString(notElf, "hello, this is not an ELF file at all, really not");
        assertThatThrownBy(() -> ElfFile.open(notElf)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("not-elf").hasMessageContaining("not an ELF file");

        Path truncated = dir.resolve("truncated");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ElfFile.open(truncated)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("truncated").hasMessageContaining("past the end");

        Path bigEndian = dir.resolve("big-endian");
        byte[] be = bytes.clone();
        be[5] = 2;
        Files.write(bigEndian, be);
        assertThatThrownBy(() -> ElfFile.open(bigEndian)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("big-endian");
    }
}
