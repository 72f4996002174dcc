package dev.kcovexplorer.symbolizer.dwarf;

/**
 * The one table of attribute forms: how each form's value is encoded. Sizing, skipping and reading a
 * value all dispatch on that encoding, so a form is described once and the three cannot disagree.
 */
final class Forms {
    // How a value is stored. The numbers only index ENCODINGS; 0 marks a form DWARF 2–5 does not define.
    private static final byte UNDEFINED = 0;
    private static final byte FLAG_PRESENT = 1;
    private static final byte IMPLICIT_CONST = 2;
    private static final byte U8 = 3;
    private static final byte U16 = 4;
    private static final byte U24 = 5;
    private static final byte U32 = 6;
    private static final byte U64 = 7;
    private static final byte BYTES16 = 8;
    private static final byte ADDRESS = 9;
    private static final byte OFFSET = 10;
    /** An address in DWARF 2, an offset later. */
    private static final byte REF_ADDR = 11;
    private static final byte ULEB = 12;
    private static final byte SLEB = 13;
    private static final byte CSTRING = 14;
    private static final byte BLOCK1 = 15;
    private static final byte BLOCK2 = 16;
    private static final byte BLOCK4 = 17;
    private static final byte BLOCK_ULEB = 18;
    private static final byte INDIRECT = 19;

    /** The encoding of every standard form, indexed by DW_FORM value (0x01–0x2c). */
    private static final byte[] ENCODINGS = new byte[Dw.FORM_ADDRX4 + 1];

    static {
        define(FLAG_PRESENT, Dw.FORM_FLAG_PRESENT);
        define(IMPLICIT_CONST, Dw.FORM_IMPLICIT_CONST);
        define(U8, Dw.FORM_DATA1, Dw.FORM_REF1, Dw.FORM_FLAG, Dw.FORM_STRX1, Dw.FORM_ADDRX1);
        define(U16, Dw.FORM_DATA2, Dw.FORM_REF2, Dw.FORM_STRX2, Dw.FORM_ADDRX2);
        define(U24, Dw.FORM_STRX3, Dw.FORM_ADDRX3);
        define(U32, Dw.FORM_DATA4, Dw.FORM_REF4, Dw.FORM_REF_SUP4, Dw.FORM_STRX4, Dw.FORM_ADDRX4);
        define(U64, Dw.FORM_DATA8, Dw.FORM_REF8, Dw.FORM_REF_SIG8, Dw.FORM_REF_SUP8);
        define(BYTES16, Dw.FORM_DATA16);
        define(ADDRESS, Dw.FORM_ADDR);
        define(OFFSET, Dw.FORM_STRP, Dw.FORM_LINE_STRP, Dw.FORM_SEC_OFFSET, Dw.FORM_STRP_SUP);
        define(REF_ADDR, Dw.FORM_REF_ADDR);
        define(ULEB, Dw.FORM_UDATA, Dw.FORM_REF_UDATA, Dw.FORM_STRX, Dw.FORM_ADDRX, Dw.FORM_LOCLISTX,
                Dw.FORM_RNGLISTX);
        define(SLEB, Dw.FORM_SDATA);
        define(CSTRING, Dw.FORM_STRING);
        define(BLOCK1, Dw.FORM_BLOCK1);
        define(BLOCK2, Dw.FORM_BLOCK2);
        define(BLOCK4, Dw.FORM_BLOCK4);
        define(BLOCK_ULEB, Dw.FORM_BLOCK, Dw.FORM_EXPRLOC);
        define(INDIRECT, Dw.FORM_INDIRECT);
    }

    private Forms() {
    }

    private static void define(byte encoding, int... forms) {
        for (int form : forms) {
            ENCODINGS[form] = encoding;
        }
    }

    private static byte encoding(int form) {
        if (form > 0 && form < ENCODINGS.length && ENCODINGS[form] != UNDEFINED) {
            return ENCODINGS[form];
        }
        switch (form) {
            case Dw.FORM_GNU_ADDR_INDEX:
            case Dw.FORM_GNU_STR_INDEX:
                return ULEB;
            case Dw.FORM_GNU_REF_ALT:
            case Dw.FORM_GNU_STRP_ALT:
                return OFFSET;
            default:
                throw new DwarfFormatException("unknown attribute form 0x" + Integer.toHexString(form));
        }
    }

    /**
     * The byte size of a value of {@code form}: a fixed number, or -1 when it varies (LEB128,
     * strings, blocks, {@code DW_FORM_indirect}). Throws for forms DWARF 2–5 does not define.
     */
    static int fixedSize(int form, int addressSize, int offsetSize, int version) {
        switch (encoding(form)) {
            case FLAG_PRESENT:
            case IMPLICIT_CONST:
                return 0;
            case U8:
                return 1;
            case U16:
                return 2;
            case U24:
                return 3;
            case U32:
                return 4;
            case U64:
                return 8;
            case BYTES16:
                return 16;
            case ADDRESS:
                return addressSize;
            case OFFSET:
                return offsetSize;
            case REF_ADDR:
                return version <= 2 ? addressSize : offsetSize;
            default:
                return -1;
        }
    }

    /** Skips one value of {@code form}. */
    static void skip(Cursor c, int form, int addressSize, int offsetSize, int version) {
        switch (encoding(form)) {
            case ULEB:
            case SLEB:
                c.skipUleb();
                return;
            case CSTRING:
                c.skipCString();
                return;
            case BLOCK1:
                c.skip(c.u8());
                return;
            case BLOCK2:
                c.skip(c.u16());
                return;
            case BLOCK4:
                c.skip(c.u32());
                return;
            case BLOCK_ULEB:
                c.skip(c.uleb());
                return;
            case INDIRECT:
                skip(c, indirectForm(c), addressSize, offsetSize, version);
                return;
            default:
                c.pos += fixedSize(form, addressSize, offsetSize, version);
        }
    }

    /**
     * The value stored for a {@code form}: constants, offsets (unit-relative for {@code ref1..ref_udata}),
     * indexes for indexed forms, the address for {@code DW_FORM_addr}, the section offset of an inline
     * {@code DW_FORM_string}, 1 for {@code flag_present}, the abbreviation's constant for {@code implicit_const}
     * (attribute {@code i} of {@code a}). Blocks and 16-byte data are skipped and yield 0.
     */
    static long read(Cursor c, int form, int addressSize, int offsetSize, int version, Abbrev a, int i) {
        switch (encoding(form)) {
            case FLAG_PRESENT:
                return 1;
            case IMPLICIT_CONST:
                return a.implicitConsts[i];
            case U8:
                return c.u8();
            case U16:
                return c.u16();
            case U24:
                return c.u24();
            case U32:
                return c.u32();
            case U64:
                return c.u64();
            case ADDRESS:
                return c.address(addressSize);
            case OFFSET:
                return c.offset(offsetSize);
            case REF_ADDR:
                return version <= 2 ? c.address(addressSize) : c.offset(offsetSize);
            case ULEB:
                return c.uleb();
            case SLEB:
                return c.sleb();
            case CSTRING: {
                long at = c.pos;
                c.skipCString();
                return at;
            }
            case INDIRECT:
                return read(c, indirectForm(c), addressSize, offsetSize, version, a, i);
            default:
                skip(c, form, addressSize, offsetSize, version);
                return 0;
        }
    }

    /** Reads the real form of a {@code DW_FORM_indirect} value; nested indirection is corrupt data. */
    static int indirectForm(Cursor c) {
        int at = c.pos;
        int form = c.ulebInt();
        if (form == Dw.FORM_INDIRECT || form == Dw.FORM_IMPLICIT_CONST) {
            throw c.section.error(at, "DW_FORM_indirect names form 0x" + Integer.toHexString(form));
        }
        return form;
    }
}
