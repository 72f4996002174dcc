package dev.kcovexplorer.symbolizer.dwarf;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;

import java.nio.ByteBuffer;

/**
 * The debug sections of one ELF file. For a split-DWARF {@code .dwo} file the {@code .dwo}-suffixed
 * sections are used, and {@code .debug_addr} comes from the main binary (split units index it).
 */
final class DwarfSections {
    final String file;
    final boolean dwo;
    final DwarfSection info;
    final DwarfSection abbrev;
    final DwarfSection str;
    final DwarfSection lineStr;
    final DwarfSection strOffsets;
    final DwarfSection addr;
    final DwarfSection ranges;
    final DwarfSection rnglists;
    final DwarfSection line;

    private DwarfSections(ElfFile elf, DwarfSections main) {
        this.file = elf.path().toString();
        this.dwo = main != null;
        String suffix = dwo ? ".dwo" : "";
        info = load(elf, ".debug_info" + suffix);
        abbrev = load(elf, ".debug_abbrev" + suffix);
        str = load(elf, ".debug_str" + suffix);
        lineStr = load(elf, ".debug_line_str");
        strOffsets = load(elf, ".debug_str_offsets" + suffix);
        // Split units index the skeleton file's address table; GNU (DWARF 4) split units also use its
        // .debug_ranges, at the skeleton's DW_AT_GNU_ranges_base.
        addr = dwo ? main.addr : load(elf, ".debug_addr");
        ranges = dwo ? main.ranges : load(elf, ".debug_ranges");
        rnglists = load(elf, ".debug_rnglists" + suffix);
        line = load(elf, ".debug_line" + suffix);
    }

    static DwarfSections of(ElfFile elf) {
        return new DwarfSections(elf, null);
    }

    /** The sections of a {@code .dwo} file whose skeleton lives in {@code main}. */
    static DwarfSections ofDwo(ElfFile dwoFile, DwarfSections main) {
        return new DwarfSections(dwoFile, main);
    }

    private DwarfSection load(ElfFile elf, String name) {
        ElfSection s = elf.section(name);
        ByteBuffer data = s == null ? null : s.contents();
        return new DwarfSection(file, name, data);
    }
}
