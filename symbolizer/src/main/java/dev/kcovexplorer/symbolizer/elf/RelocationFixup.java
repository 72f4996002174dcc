package dev.kcovexplorer.symbolizer.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Applies the x86-64 {@code SHT_RELA} relocations of one section of a placed object to a copy of its
 * bytes, as a static link would: symbols at their placed addresses, undefined ones at their import
 * stubs. Debug sections get every type; executable sections only their PC-relative 32-bit operands,
 * the one kind the branch scans read (absolute operands would need the data sections where the
 * kernel put them, which nothing reads).
 */
final class RelocationFixup implements SectionFixup {
    private final int[] relaSections;
    private final boolean branchesOnly;
    /** Per symbol index, the stub address of an undefined symbol (0 for defined ones). */
    private final long[] stubs;

    RelocationFixup(int[] relaSections, boolean branchesOnly, long[] stubs) {
        this.relaSections = relaSections;
        this.branchesOnly = branchesOnly;
        this.stubs = stubs;
    }

    @Override
    public ByteBuffer apply(ElfFile file, ElfSection section, ByteBuffer stored) {
        byte[] bytes = new byte[stored.remaining()];
        stored.get(bytes);
        ByteBuffer out = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<ElfSymbol> symbols = file.symbols().all();
        for (int index : relaSections) {
            RelocationTable table = RelocationTable.read(file, file.sections().get(index));
            for (int i = 0; i < table.size(); i++) {
                int type = table.type(i);
                if (type == X86Relocations.R_NONE || (branchesOnly && !X86Relocations.isPcRelative32(type))) {
                    continue;
                }
                apply(file, section, out, table, i, symbols);
            }
        }
        return out.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void apply(ElfFile file, ElfSection section, ByteBuffer out, RelocationTable table, int i,
                       List<ElfSymbol> symbols) {
        int type = table.type(i);
        long offset = table.offset(i);
        int width = X86Relocations.width(type);
        if (width < 0) {
            throw error(file, section, table, i, symbols, "this type is not supported in " + section.name());
        }
        if (offset < 0 || offset + width > out.capacity()) {
            throw error(file, section, table, i, symbols, "the " + width + "-byte field lies outside the section's "
                    + out.capacity() + " bytes");
        }
        long s = symbolAddress(file, section, table, i, symbols);
        long value = s + table.addend(i);
        long place = section.address() + offset;
        int at = (int) offset;
        switch (type) {
            case X86Relocations.R_64:
                out.putLong(at, value);
                break;
            case X86Relocations.R_PC64:
                out.putLong(at, value - place);
                break;
            case X86Relocations.R_32:
                if (value >>> 32 != 0) {
                    throw error(file, section, table, i, symbols, "value 0x" + Long.toHexString(value)
                            + " does not fit 32 unsigned bits");
                }
                out.putInt(at, (int) value);
                break;
            case X86Relocations.R_32S:
                if (value != (int) value) {
                    throw error(file, section, table, i, symbols, "value 0x" + Long.toHexString(value)
                            + " does not fit 32 signed bits");
                }
                out.putInt(at, (int) value);
                break;
            default: {
                long relative = value - place;
                if (relative != (int) relative) {
                    throw error(file, section, table, i, symbols, "target 0x" + Long.toHexString(value)
                            + " is more than 2 GiB away from 0x" + Long.toHexString(place)
                            + " (are the layout's sections of this object that far apart?)");
                }
                out.putInt(at, (int) relative);
            }
        }
    }

    private long symbolAddress(ElfFile file, ElfSection section, RelocationTable table, int i,
                               List<ElfSymbol> symbols) {
        int index = table.symbol(i);
        if (index == 0) {
            return 0;
        }
        if (index > symbols.size()) {
            throw error(file, section, table, i, symbols, "symbol " + index + " is past the end of the "
                    + symbols.size() + "-entry symbol table");
        }
        ElfSymbol symbol = symbols.get(index - 1);
        if (symbol.sectionIndex() == ElfSymbol.SHN_UNDEF || symbol.sectionIndex() == ElfSymbol.SHN_COMMON) {
            return stubs[index];
        }
        return symbol.address();
    }

    private static ElfFormatException error(ElfFile file, ElfSection section, RelocationTable table, int i,
                                            List<ElfSymbol> symbols, String what) {
        int index = table.symbol(i);
        String against;
        if (index == 0 || index > symbols.size()) {
            against = "symbol " + index;
        } else {
            ElfSymbol symbol = symbols.get(index - 1);
            int shndx = symbol.sectionIndex();
            against = symbol.type() == ElfSymbol.STT_SECTION && shndx > 0 && shndx < file.sections().size()
                    ? file.sections().get(shndx).name() : symbol.name();
        }
        return new ElfFormatException(file.path() + ": relocation " + i + " of " + table.section().name() + " ("
                + X86Relocations.name(table.type(i)) + " at " + section.name() + "+0x" + Long.toHexString(table.offset(i))
                + " against " + against + "): " + what);
    }
}
