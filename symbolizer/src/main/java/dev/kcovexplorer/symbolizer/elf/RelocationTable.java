package dev.kcovexplorer.symbolizer.elf;

import java.nio.ByteBuffer;

/**
 * The entries of one ELF64 {@code SHT_RELA} section in columns: where ({@code r_offset} into the section
 * it relocates), how ({@code ELF64_R_TYPE}), against which symbol ({@code ELF64_R_SYM}) and the addend.
 */
public final class RelocationTable {
    private static final int ENTRY_SIZE = 24;

    private final ElfSection section;
    private final long[] offsets;
    private final int[] types;
    private final int[] symbols;
    private final long[] addends;

    private RelocationTable(ElfSection section, long[] offsets, int[] types, int[] symbols, long[] addends) {
        this.section = section;
        this.offsets = offsets;
        this.types = types;
        this.symbols = symbols;
        this.addends = addends;
    }

    /** Reads {@code rela}, an {@code SHT_RELA} section of a 64-bit file. */
    public static RelocationTable read(ElfFile file, ElfSection rela) {
        if (rela.type() != ElfSection.SHT_RELA || !file.is64Bit()) {
            throw new ElfFormatException(file.path() + ": section " + rela.name() + " is no ELF64 SHT_RELA section");
        }
        if (rela.entrySize() != ENTRY_SIZE || rela.size() % ENTRY_SIZE != 0) {
            throw new ElfFormatException(file.path() + " at offset " + rela.fileOffset() + ": relocation section "
                    + rela.name() + " has entries of " + rela.entrySize() + " bytes and " + rela.size()
                    + " bytes in all (expected a multiple of " + ENTRY_SIZE + ")");
        }
        ByteBuffer data = rela.contents();
        int count = (int) (rela.size() / ENTRY_SIZE);
        long[] offsets = new long[count];
        int[] types = new int[count];
        int[] symbols = new int[count];
        long[] addends = new long[count];
        for (int i = 0; i < count; i++) {
            int b = i * ENTRY_SIZE;
            offsets[i] = data.getLong(b);
            long info = data.getLong(b + 8);
            types[i] = (int) info;
            symbols[i] = (int) (info >>> 32);
            addends[i] = data.getLong(b + 16);
        }
        return new RelocationTable(rela, offsets, types, symbols, addends);
    }

    /** The relocation section these entries come from. */
    public ElfSection section() {
        return section;
    }

    public int size() {
        return offsets.length;
    }

    public long offset(int i) {
        return offsets[i];
    }

    public int type(int i) {
        return types[i];
    }

    /** Index into the symbol table; 0 means no symbol. */
    public int symbol(int i) {
        return symbols[i];
    }

    public long addend(int i) {
        return addends[i];
    }
}
