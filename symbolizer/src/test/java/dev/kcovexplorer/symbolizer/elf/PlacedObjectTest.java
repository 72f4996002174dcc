package dev.kcovexplorer.symbolizer.elf;

import dev.kcovexplorer.symbolizer.ModuleFixture;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.Symbolizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What placing a relocatable object accepts and the one clear error for what it refuses. */
class PlacedObjectTest {
    private static final long BASE = 0xffffffffa0100000L;

    @TempDir
    static Path dir;
    static ModuleFixture fixture;

    @BeforeAll
    static void build() throws Exception {
        for (String tool : List.of("gcc", "ld", "readelf")) {
            NativeTools.assume(tool);
        }
        fixture = ModuleFixture.build(dir.resolve("fixture"), List.of("-gdwarf-5"));
    }

    @Test
    void symbolsBecomeAbsoluteAndOnlyPlacedSectionsHoldPcs() throws Exception {
        Map<String, Long> layout = fixture.layout(BASE);
        try (ElfFile placed = ElfFile.openPlaced(fixture.object(), layout)) {
            ElfSymbol f = placed.symbols().lookup("hub_events");
            ElfSection text = placed.section(".text");
            assertThat(text.address()).isEqualTo(layout.get(".text"));
            try (ElfFile raw = ElfFile.open(fixture.object())) {
                assertThat(f.address()).isEqualTo(text.address() + raw.symbols().lookup("hub_events").address());
            }
            assertThat(placed.sectionContaining(text.address() + 1)).isEqualTo(text);
            assertThat(placed.placedSections()).extracting(ElfSection::name)
                    .containsExactlyInAnyOrderElementsOf(layout.keySet());
        }
        Map<String, Long> textOnly = Map.of(".text", BASE);
        try (ElfFile placed = ElfFile.openPlaced(fixture.object(), textOnly)) {
            ElfSection init = placed.section(".init.text");
            assertThat(Long.compareUnsigned(init.address(), BASE + placed.section(".text").size()))
                    .as(".init.text laid out above the placed .text").isGreaterThanOrEqualTo(0);
            assertThat(placed.sectionContaining(init.address())).as("no PC in an unplaced section").isNull();
            assertThat(placed.executableSections()).extracting(ElfSection::name).containsExactly(".text");
        }
    }

    @Test
    void namesOfSectionsWithoutAddressesAreIgnored() throws Exception {
        // /sys/module/NAME/sections lists .symtab and .strtab, which the loader copies into memory.
        Map<String, Long> layout = new LinkedHashMap<>(fixture.layout(BASE));
        layout.put(".symtab", BASE + 0x100000);
        layout.put(".strtab", BASE + 0x110000);
        try (ElfFile placed = ElfFile.openPlaced(fixture.object(), layout)) {
            assertThat(placed.section(".symtab").address()).isZero();
        }
    }

    @Test
    void aSectionTheObjectLacksIsNamed() {
        Map<String, Long> layout = new LinkedHashMap<>(fixture.layout(BASE));
        layout.put(".text.vanished", BASE + 0x200000);
        assertThatThrownBy(() -> ElfFile.openPlaced(fixture.object(), layout))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining(fixture.object().toString())
                .hasMessageContaining("no section .text.vanished")
                .hasMessageContaining("0xffffffffa0300000");
    }

    @Test
    void overlappingSectionsAreRefused() {
        Map<String, Long> layout = Map.of(".text", BASE, ".init.text", BASE + 0x10);
        assertThatThrownBy(() -> ElfFile.openPlaced(fixture.object(), layout))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining(".text (0xffffffffa0100000-")
                .hasMessageContaining(".init.text (0xffffffffa0100010) overlap");
    }

    @Test
    void onlyRelocatableObjectsArePlaced() throws Exception {
        NativeTools.assume("nm");
        Path linked = fixture.link("linked-for-refusal", fixture.layout(BASE), BASE + 0x400000);
        assertThatThrownBy(() -> ElfFile.openPlaced(linked, Map.of(".text", BASE)))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("only a relocatable object (ET_REL, such as a .ko)")
                .hasMessageContaining("e_type 2");
    }

    @Test
    void aRelocationOutsideItsSectionIsOneClearError() throws Exception {
        Path broken = corrupt("outside.ko", 0, Long.MAX_VALUE / 2, -1);
        assertThatThrownBy(() -> Symbolizer.openPlaced(broken, fixture.layout(BASE)))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining(broken.toString())
                .hasMessageContaining("relocation 0 of .rela.debug_info")
                .hasMessageContaining("lies outside the section");
    }

    @Test
    void anUnsupportedRelocationTypeInDebugInfoIsNamed() throws Exception {
        Path broken = corrupt("tls.ko", 8, -1, 21); // R_X86_64_DTPOFF32: no kernel code has TLS
        assertThatThrownBy(() -> Symbolizer.openPlaced(broken, fixture.layout(BASE)))
                .isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("relocation 0 of .rela.debug_info (relocation type 21 at .debug_info+0x")
                .hasMessageContaining("not supported");
    }

    /**
     * A copy of the fixture with the first {@code .rela.debug_info} entry's offset replaced
     * ({@code offset} >= 0) or its type ({@code type} >= 0).
     */
    private static Path corrupt(String name, int field, long offset, int type) throws Exception {
        Path copy = dir.resolve(name);
        Files.copy(fixture.object(), copy);
        long entry;
        try (ElfFile elf = ElfFile.open(copy)) {
            entry = elf.section(".rela.debug_info").fileOffset();
        }
        try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            f.seek(entry + field);
            if (offset >= 0) {
                f.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(offset).array());
            } else {
                f.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(type).array());
            }
        }
        return copy;
    }
}
