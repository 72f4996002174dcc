package dev.kcovexplorer.symbolizer.elf;

/**
 * One {@code .symtab} entry.
 *
 * @param name         the symbol name ("hub_event", "foo.isra.0")
 * @param address      {@code st_value}; for ARM Thumb functions with the Thumb bit cleared
 * @param size         {@code st_size}, 0 when unknown
 * @param type         {@code STT_*} ({@link #STT_FUNC} for functions)
 * @param binding      {@code STB_*} ({@link #STB_LOCAL}, {@link #STB_GLOBAL}, {@link #STB_WEAK})
 * @param sectionIndex {@code st_shndx}: 0 for undefined symbols
 * @param sourceFile   for a local symbol, the name of the {@code STT_FILE} symbol before it (the source
 *                     file it was compiled from, as the compiler named it), else {@code null}
 */
public record ElfSymbol(String name, long address, long size, int type, int binding, int sectionIndex,
                        String sourceFile) {
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int SHN_UNDEF = 0;
    public static final int SHN_LORESERVE = 0xff00;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;
    public static final int SHN_XINDEX = 0xffff;

    public boolean isFunction() {
        return type == STT_FUNC;
    }

    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF;
    }

    /** True when {@code pc} lies in {@code [address, address + size)}. */
    public boolean contains(long pc) {
        return Long.compareUnsigned(pc - address, size) < 0;
    }
}
