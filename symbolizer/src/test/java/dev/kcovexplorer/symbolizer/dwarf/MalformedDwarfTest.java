package dev.kcovexplorer.symbolizer.dwarf;

import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.Oracles;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfFormatException;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Corrupted DWARF in a real gcc-built binary: every defect must end in one {@link DwarfFormatException}
 * (or {@link ElfFormatException}) that names the file, the section and the offset; never a hang and
 * never an index exception.
 */
class MalformedDwarfTest {
    @TempDir
    static Path dir;
    static Path good;
    static byte[] bytes;
    static long[] addresses;

    @BeforeAll
    static void build() throws Exception {
        NativeTools.assume("gcc");
        NativeTools.assume("objdump");
        for (String s : List.of("main.c", "other.c", "ring.h", "hash.h")) {
            try (InputStream in = MalformedDwarfTest.class.getResourceAsStream("/dev/kcovexplorer/symbolizer/c/" + s)) {
                Files.copy(in, dir.resolve(s));
            }
        }
        good = NativeTools.compile(dir, "gcc", "good", List.of("-O2", "-gdwarf-5"), "main.c", "other.c");
        bytes = Files.readAllBytes(good);
        addresses = Oracles.instructionAddresses(good);
    }

    /** File offset of {@code section} in the good binary. */
    private static int sectionOffset(String section) throws IOException {
        try (ElfFile elf = ElfFile.open(good)) {
            return (int) elf.section(section).fileOffset();
        }
    }

    private static Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    /** Opens and symbolizes every instruction; returns the failure (or fails when there was none). */
    private static RuntimeException failureOf(Path elf) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Symbolizer s = Symbolizer.open(elf)) {
                s.symbolizeAll(addresses);
            } catch (DwarfFormatException | ElfFormatException e) {
                return e;
            }
            return fail("no error for " + elf);
        });
    }

    @Test
    void unitLengthPastTheEnd() throws Exception {
        byte[] b = bytes.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(sectionOffset(".debug_info"), 0x7ffffff0);
        assertThat(failureOf(write("unit-length", b)))
                .hasMessageContaining("unit-length").hasMessageContaining(".debug_info at offset 0x0")
                .hasMessageContaining("runs past the end");
    }

    @Test
    void undeclaredAbbreviationCode() throws Exception {
        byte[] b = bytes.clone();
        // DWARF 5 unit header: length 4, version 2, unit type 1, address size 1, abbrev offset 4.
        b[sectionOffset(".debug_info") + 12] = 0x7f;
        assertThat(failureOf(write("abbrev-code", b)))
                .hasMessageContaining(".debug_info at offset 0xc").hasMessageContaining("abbreviation code 127");
    }

    @Test
    void abbreviationOffsetPastTheEnd() throws Exception {
        byte[] b = bytes.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(sectionOffset(".debug_info") + 8, 0x10000000);
        assertThat(failureOf(write("abbrev-offset", b)))
                .hasMessageContaining(".debug_abbrev at offset 0x10000000").hasMessageContaining("past the end");
    }

    @Test
    void truncatedLineProgram() throws Exception {
        byte[] b = bytes.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(sectionOffset(".debug_line"), 0x7ffffff0);
        assertThat(failureOf(write("line-length", b)))
                .hasMessageContaining(".debug_line at offset 0x0").hasMessageContaining("runs past the end");
    }

    @Test
    void sectionPastTheEndOfTheFile() throws Exception {
        Path truncated = write("truncated", java.util.Arrays.copyOf(bytes, sectionOffset(".debug_line") + 16));
        assertThatThrownBy(() -> Symbolizer.open(truncated).close())
                .isInstanceOf(ElfFormatException.class).hasMessageContaining("past the end of the");
    }

    @Test
    void abstractOriginCycle() throws Exception {
        byte[] b = bytes.clone();
        int info = sectionOffset(".debug_info");
        long[] origin = firstInlinedAbstractOrigin();
        // Point the inlined subroutine's abstract_origin (a ref4) at the DIE itself.
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(info + (int) origin[1], (int) (origin[0] - origin[2]));
        assertThat(failureOf(write("cycle", b)))
                .hasMessageContaining(".debug_info").hasMessageContaining("cycle");
    }

    /** {die offset, offset of its abstract_origin ref4 value, unit offset} of the first inlined subroutine. */
    private static long[] firstInlinedAbstractOrigin() throws IOException {
        try (ElfFile elf = ElfFile.open(good)) {
            DebugInfo d = DebugInfo.load(elf);
            for (int u = 0; u < d.unitCount(); u++) {
                Unit unit = d.unitAt(u);
                Cursor c = unit.sections.info.cursor(unit.firstDie);
                while (c.pos < unit.end) {
                    int die = c.pos;
                    int code = c.ulebInt();
                    if (code == 0) {
                        continue;
                    }
                    Abbrev a = unit.abbrevs.get(code, die, unit.sections.info);
                    for (int i = 0; i < a.attributes.length; i++) {
                        if (a.tag == Dw.TAG_INLINED_SUBROUTINE && a.attributes[i] == Dw.AT_ABSTRACT_ORIGIN
                                && a.forms[i] == Dw.FORM_REF4) {
                            return new long[] {die, c.pos, unit.offset};
                        }
                        unit.readRaw(c, a.forms[i], a, i);
                    }
                }
            }
        }
        throw new AssertionError("gcc -O2 emitted no inlined subroutine with a ref4 abstract_origin");
    }

    /**
     * Random byte flips in the debug sections: whatever happens, it is a clean result or one of our
     * format exceptions, within seconds.
     */
    @Test
    void randomCorruptionNeverEscapesAsAnotherException() throws Exception {
        Random random = new Random(20240501);
        String[] sections = {".debug_info", ".debug_abbrev", ".debug_line", ".debug_rnglists", ".debug_str_offsets",
            ".debug_line_str", ".debug_addr"};
        int[][] spans = new int[sections.length][];
        try (ElfFile elf = ElfFile.open(good)) {
            for (int i = 0; i < sections.length; i++) {
                ElfSection s = elf.section(sections[i]);
                spans[i] = s == null ? null : new int[] {(int) s.fileOffset(), (int) s.fileSize()};
            }
        }
        int errors = 0;
        for (int round = 0; round < 150; round++) {
            byte[] b = bytes.clone();
            int[] span = spans[random.nextInt(spans.length)];
            if (span == null || span[1] == 0) {
                continue;
            }
            int flips = 1 + random.nextInt(8);
            for (int f = 0; f < flips; f++) {
                b[span[0] + random.nextInt(span[1])] = (byte) random.nextInt(256);
            }
            Path p = write("fuzz-" + round, b);
            boolean failed = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try (Symbolizer s = Symbolizer.open(p)) {
                    s.symbolizeAll(addresses);
                    return false;
                } catch (DwarfFormatException | ElfFormatException e) {
                    assertThat(e.getMessage()).contains(p.toString());
                    return true;
                }
            }, "round " + round);
            errors += failed ? 1 : 0;
        }
        assertThat(errors).as("corruptions reported as format errors").isPositive();
    }
}
