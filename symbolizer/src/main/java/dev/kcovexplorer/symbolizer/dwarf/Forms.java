package dev.kcovexplorer.symbolizer.dwarf;

/** Sizes and skipping of attribute forms, the part of DIE parsing that needs no unit context. */
final class Forms {
    private Forms() {
    }

    /**
     * The byte size of a value of {@code form}: a fixed number, or -1 when it varies (LEB128,
     * strings, blocks, {@code DW_FORM_indirect}). Throws for forms DWARF 2–5 does not define.
     */
    static int fixedSize(int form, int addressSize, int offsetSize, int version) {
        switch (form) {
            case Dw.FORM_FLAG_PRESENT:
            case Dw.FORM_IMPLICIT_CONST:
                return 0;
            case Dw.FORM_DATA1:
            case Dw.FORM_REF1:
            case Dw.FORM_FLAG:
            case Dw.FORM_STRX1:
            case Dw.FORM_ADDRX1:
                return 1;
            case Dw.FORM_DATA2:
            case Dw.FORM_REF2:
            case Dw.FORM_STRX2:
            case Dw.FORM_ADDRX2:
                return 2;
            case Dw.FORM_STRX3:
            case Dw.FORM_ADDRX3:
                return 3;
            case Dw.FORM_DATA4:
            case Dw.FORM_REF4:
            case Dw.FORM_REF_SUP4:
            case Dw.FORM_STRX4:
            case Dw.FORM_ADDRX4:
                return 4;
            case Dw.FORM_DATA8:
            case Dw.FORM_REF8:
            case Dw.FORM_REF_SIG8:
            case Dw.FORM_REF_SUP8:
                return 8;
            case Dw.FORM_DATA16:
                return 16;
            case Dw.FORM_ADDR:
                return addressSize;
            case Dw.FORM_REF_ADDR:
                return version <= 2 ? addressSize : offsetSize;
            case Dw.FORM_STRP:
            case Dw.FORM_LINE_STRP:
            case Dw.FORM_SEC_OFFSET:
            case Dw.FORM_STRP_SUP:
            case Dw.FORM_GNU_REF_ALT:
            case Dw.FORM_GNU_STRP_ALT:
                return offsetSize;
            case Dw.FORM_BLOCK1:
            case Dw.FORM_BLOCK2:
            case Dw.FORM_BLOCK4:
            case Dw.FORM_BLOCK:
            case Dw.FORM_EXPRLOC:
            case Dw.FORM_STRING:
            case Dw.FORM_SDATA:
            case Dw.FORM_UDATA:
            case Dw.FORM_REF_UDATA:
            case Dw.FORM_INDIRECT:
            case Dw.FORM_STRX:
            case Dw.FORM_ADDRX:
            case Dw.FORM_LOCLISTX:
            case Dw.FORM_RNGLISTX:
            case Dw.FORM_GNU_ADDR_INDEX:
            case Dw.FORM_GNU_STR_INDEX:
                return -1;
            default:
                throw new DwarfFormatException("unknown attribute form 0x" + Integer.toHexString(form));
        }
    }

    /** Skips one value of a variable-size {@code form} (see {@link #fixedSize}). */
    static void skipVariable(Cursor c, int form, int addressSize, int offsetSize, int version) {
        switch (form) {
            case Dw.FORM_BLOCK1:
                c.skip(c.u8());
                return;
            case Dw.FORM_BLOCK2:
                c.skip(c.u16());
                return;
            case Dw.FORM_BLOCK4:
                c.skip(c.u32());
                return;
            case Dw.FORM_BLOCK:
            case Dw.FORM_EXPRLOC:
                c.skip(c.uleb());
                return;
            case Dw.FORM_STRING:
                c.skipCString();
                return;
            case Dw.FORM_SDATA:
            case Dw.FORM_UDATA:
            case Dw.FORM_REF_UDATA:
            case Dw.FORM_STRX:
            case Dw.FORM_ADDRX:
            case Dw.FORM_LOCLISTX:
            case Dw.FORM_RNGLISTX:
            case Dw.FORM_GNU_ADDR_INDEX:
            case Dw.FORM_GNU_STR_INDEX:
                c.skipUleb();
                return;
            case Dw.FORM_INDIRECT:
                skip(c, indirectForm(c), addressSize, offsetSize, version);
                return;
            default:
                c.pos += fixedSize(form, addressSize, offsetSize, version);
        }
    }

    static void skip(Cursor c, int form, int addressSize, int offsetSize, int version) {
        int size = fixedSize(form, addressSize, offsetSize, version);
        if (size >= 0) {
            c.pos += size;
        } else {
            skipVariable(c, form, addressSize, offsetSize, version);
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
