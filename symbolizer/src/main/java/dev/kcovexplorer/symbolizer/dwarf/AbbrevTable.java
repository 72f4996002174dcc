package dev.kcovexplorer.symbolizer.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The abbreviations of one {@code .debug_abbrev} offset, with O(1) lookup for dense codes. */
final class AbbrevTable {
    private final Abbrev[] dense;
    private final Map<Integer, Abbrev> sparse;
    private final DwarfSection section;
    private final long offset;

    private AbbrevTable(Abbrev[] dense, Map<Integer, Abbrev> sparse, DwarfSection section, long offset) {
        this.dense = dense;
        this.sparse = sparse;
        this.section = section;
        this.offset = offset;
    }

    /** The declaration for {@code code}; an unknown code means the DIE stream is corrupt. */
    Abbrev get(int code, long dieOffset, DwarfSection info) {
        Abbrev a = null;
        if (code < dense.length) {
            a = dense[code];
        } else if (sparse != null) {
            a = sparse.get(code);
        }
        if (a == null) {
            throw info.error(dieOffset, "abbreviation code " + code + " is not declared in the "
                    + section.name + " table at offset 0x" + Long.toHexString(offset));
        }
        return a;
    }

    static AbbrevTable parse(DwarfSection section, long offset, int addressSize, int offsetSize, int version,
                             AbbrevInterner interner) {
        if (offset < 0 || offset >= section.size) {
            throw section.error(offset, "abbreviation table offset is past the end of the section ("
                    + section.size + " bytes)");
        }
        Cursor c = section.cursor(offset);
        List<Abbrev> list = new ArrayList<>();
        int[] codes = new int[64];
        int maxCode = 0;
        int[] attrs = new int[8];
        int[] forms = new int[8];
        long[] consts = new long[8];
        try {
            while (true) {
                int start = c.pos;
                int code = c.ulebInt();
                if (code == 0) {
                    break;
                }
                int tag = c.ulebInt();
                boolean children = c.u8() != 0;
                boolean hasConsts = false;
                int n = 0;
                while (true) {
                    int at = c.ulebInt();
                    int form = c.ulebInt();
                    if (at == 0 && form == 0) {
                        break;
                    }
                    if (n == attrs.length) {
                        attrs = Arrays.copyOf(attrs, n * 2);
                        forms = Arrays.copyOf(forms, n * 2);
                        consts = Arrays.copyOf(consts, n * 2);
                    }
                    attrs[n] = at;
                    forms[n] = form;
                    consts[n] = 0;
                    if (form == Dw.FORM_IMPLICIT_CONST) {
                        consts[n] = c.sleb();
                        hasConsts = true;
                    }
                    n++;
                }
                if (code > maxCode) {
                    maxCode = code;
                }
                if (list.size() == codes.length) {
                    codes = Arrays.copyOf(codes, codes.length * 2);
                }
                codes[list.size()] = code;
                try {
                    list.add(interner.intern(tag, children, attrs, forms, hasConsts ? consts : null, n, addressSize,
                            offsetSize, version));
                } catch (DwarfFormatException e) {
                    throw section.error(start, e.getMessage());
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw section.error(c.pos, "abbreviation table starting at 0x" + Long.toHexString(offset)
                    + " runs past the end of the section");
        }
        int denseLimit = Math.min(maxCode, list.size() * 2 + 64);
        Abbrev[] dense = new Abbrev[denseLimit + 1];
        Map<Integer, Abbrev> sparse = null;
        for (int i = 0; i < list.size(); i++) {
            int code = codes[i];
            Abbrev a = list.get(i);
            if (code <= denseLimit) {
                if (dense[code] == null) {
                    dense[code] = a;
                }
            } else {
                if (sparse == null) {
                    sparse = new HashMap<>();
                }
                sparse.putIfAbsent(code, a);
            }
        }
        return new AbbrevTable(dense, sparse, section, offset);
    }
}
