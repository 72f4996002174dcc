package dev.kcovexplorer.symbolizer.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One section header of an {@link ElfFile}. Its {@link #contents()} are mapped from the file on first
 * use (and decompressed when the section is {@code SHF_COMPRESSED} or a legacy {@code .zdebug_*}).
 */
public final class ElfSection {
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final long SHF_COMPRESSED = 0x800;

    private final ElfFile file;
    private final int index;
    private final String name;
    private final int type;
    private final long flags;
    private final long address;
    private final long fileOffset;
    private final long fileSize;
    private final int link;
    private final int info;
    private final long addressAlignment;
    private final long entrySize;
    /** What turns the bytes as stored into the bytes readers see (relocations applied), or null. */
    private final SectionFixup fixup;
    private volatile ByteBuffer contents;

    ElfSection(ElfFile file, int index, String name, int type, long flags, long address, long fileOffset,
               long fileSize, int link, int info, long addressAlignment, long entrySize) {
        this(file, index, name, type, flags, address, fileOffset, fileSize, link, info, addressAlignment, entrySize,
                null);
    }

    private ElfSection(ElfFile file, int index, String name, int type, long flags, long address, long fileOffset,
                       long fileSize, int link, int info, long addressAlignment, long entrySize,
                       SectionFixup fixup) {
        this.file = file;
        this.index = index;
        this.name = name;
        this.type = type;
        this.flags = flags;
        this.address = address;
        this.fileOffset = fileOffset;
        this.fileSize = fileSize;
        this.link = link;
        this.info = info;
        this.addressAlignment = addressAlignment;
        this.entrySize = entrySize;
        this.fixup = fixup;
    }

    /** This header as part of {@code placedFile}: loaded at {@code placedAddress}, its bytes passed through {@code fixup}. */
    ElfSection placedCopy(ElfFile placedFile, long placedAddress, SectionFixup placedFixup) {
        return new ElfSection(placedFile, index, name, type, flags, placedAddress, fileOffset, fileSize, link, info,
                addressAlignment, entrySize, placedFixup);
    }

    /** Index in the section header table (what symbols' {@code st_shndx} refers to). */
    public int index() {
        return index;
    }

    /** The name as written in the file, e.g. ".text" or ".zdebug_info". */
    public String name() {
        return name;
    }

    /** {@code sh_type}, e.g. {@link #SHT_PROGBITS}. */
    public int type() {
        return type;
    }

    /** {@code sh_flags}, e.g. {@link #SHF_EXECINSTR}. */
    public long flags() {
        return flags;
    }

    /** Virtual address of the first byte when loaded ({@code sh_addr}); 0 for debug sections. */
    public long address() {
        return address;
    }

    /**
     * Size in bytes of the section as loaded: for compressed sections this is the decompressed size
     * (which costs reading the compression header), for {@code SHT_NOBITS} the size in memory.
     */
    public long size() {
        if (isCompressed()) {
            return contents().capacity();
        }
        return fileSize;
    }

    /** Offset of the section's bytes in the file ({@code sh_offset}). */
    public long fileOffset() {
        return fileOffset;
    }

    /** Size of the section's bytes in the file ({@code sh_size}, compressed size when compressed). */
    public long fileSize() {
        return fileSize;
    }

    public int link() {
        return link;
    }

    public int info() {
        return info;
    }

    public long entrySize() {
        return entrySize;
    }

    /** {@code sh_addralign}, 1 when the file says 0 or something that is no power of two. */
    public long alignment() {
        return addressAlignment > 0 && Long.bitCount(addressAlignment) == 1 ? addressAlignment : 1;
    }

    public boolean isExecutable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    public boolean isAllocated() {
        return (flags & SHF_ALLOC) != 0;
    }

    /** True for {@code SHF_COMPRESSED} sections and legacy {@code .zdebug_*} ones. */
    public boolean isCompressed() {
        return (flags & SHF_COMPRESSED) != 0 || (name.startsWith(".zdebug") && type != SHT_NOBITS);
    }

    /** True when {@code address} lies inside the loaded range of this allocated section. */
    public boolean containsAddress(long address) {
        return isAllocated() && Long.compareUnsigned(address - this.address, fileSize) < 0;
    }

    /**
     * The section's bytes as a read-only little-endian buffer positioned at 0 (a fresh view on every
     * call, so callers may move its position freely). Compressed sections come back decompressed;
     * {@code SHT_NOBITS} sections come back empty.
     */
    public ByteBuffer contents() {
        ByteBuffer c = contents;
        if (c == null) {
            synchronized (this) {
                c = contents;
                if (c == null) {
                    c = load();
                    contents = c;
                }
            }
        }
        return c.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer load() {
        ByteBuffer stored = loadStored();
        return fixup == null ? stored : fixup.apply(file, this, stored.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    }

    private ByteBuffer loadStored() {
        if (type == SHT_NOBITS) {
            return ByteBuffer.allocate(0).asReadOnlyBuffer();
        }
        ByteBuffer raw = file.map(fileOffset, fileSize, name);
        if ((flags & SHF_COMPRESSED) != 0) {
            return SectionDecompressor.decompressElf(raw, file.is64Bit(), file.path() + " section " + name);
        }
        if (isCompressed()) {
            return SectionDecompressor.decompressZdebug(raw, file.path() + " section " + name);
        }
        return raw;
    }

    @Override
    public String toString() {
        return name + "@0x" + Long.toHexString(address) + "+" + fileSize;
    }
}
