package dev.kcovexplorer.symbolizer.dwarf;

/**
 * One unit of {@code .debug_info} (or {@code .debug_info.dwo}): its header, the attributes of its root
 * DIE that the rest of the reader needs (names, bases, ranges), and the resolution of indexed forms
 * ({@code strx}, {@code addrx}, {@code rnglistx}) against those bases.
 *
 * <p>Attribute values are read in two steps: {@link #readRaw} gives the number stored in the DIE
 * (an offset, an index, an address, a constant), and {@code resolve*} turns it into what it means.
 * That lets a DIE name {@code DW_AT_str_offsets_base} after a {@code strx} name, as clang does.
 */
final class Unit {
    final DebugInfo owner;
    final DwarfSections sections;
    final int index;
    final long offset;
    final long end;
    final long firstDie;
    final int version;
    final int unitType;
    final int addressSize;
    final int offsetSize;
    final long abbrevOffset;
    final long dwoId;
    final AbbrevTable abbrevs;
    private final long tombstone;

    int rootTag;
    String name;
    String compDir;
    String dwoName;
    long stmtList = -1;
    long lowPc;
    long strOffsetsBase;
    long addrBase;
    long rnglistsBase;
    long gnuRangesBase;
    /** The unit's code ranges as [lo, hi) pairs, tombstones dropped; null when the root DIE has none. */
    long[] ranges;
    /** For a split unit: its skeleton in the main file. */
    Unit skeleton;

    private Unit(DebugInfo owner, int index, long offset, long end, long firstDie, int version, int unitType,
                 int addressSize, int offsetSize, long abbrevOffset, long dwoId) {
        this.owner = owner;
        this.sections = owner.sections;
        this.index = index;
        this.offset = offset;
        this.end = end;
        this.firstDie = firstDie;
        this.version = version;
        this.unitType = unitType;
        this.addressSize = addressSize;
        this.offsetSize = offsetSize;
        this.abbrevOffset = abbrevOffset;
        this.dwoId = dwoId;
        this.abbrevs = owner.abbrevTable(abbrevOffset, addressSize, offsetSize, version);
        this.tombstone = addressSize >= 8 ? -2L : (1L << (addressSize * 8)) - 2;
    }

    /** Parses the header of the unit at {@code offset}; {@code null} past the end of the section. */
    static Unit parseHeader(DebugInfo owner, int index, long offset) {
        DwarfSection info = owner.sections.info;
        Cursor c = info.cursor(offset);
        try {
            long length = c.u32();
            int offsetSize = 4;
            if (length == 0xffffffffL) {
                length = c.u64();
                offsetSize = 8;
            } else if (length >= 0xfffffff0L) {
                throw info.error(offset, "reserved unit length 0x" + Long.toHexString(length));
            }
            long end = c.pos + length;
            if (length < 0 || end > info.size) {
                throw info.error(offset, "unit length " + length + " runs past the end of the section ("
                        + info.size + " bytes)");
            }
            int version = c.u16();
            if (version < 2 || version > 5) {
                throw info.error(offset, "unsupported DWARF version " + version + " (expected 2 to 5)");
            }
            int unitType = Dw.UT_COMPILE;
            int addressSize;
            long abbrevOffset;
            if (version >= 5) {
                unitType = c.u8();
                addressSize = c.u8();
                abbrevOffset = c.offset(offsetSize);
            } else {
                abbrevOffset = c.offset(offsetSize);
                addressSize = c.u8();
            }
            if (addressSize != 4 && addressSize != 8 && addressSize != 2) {
                throw info.error(offset, "unsupported address size " + addressSize);
            }
            long dwoId = 0;
            switch (unitType) {
                case Dw.UT_COMPILE:
                case Dw.UT_PARTIAL:
                    break;
                case Dw.UT_SKELETON:
                case Dw.UT_SPLIT_COMPILE:
                    dwoId = c.u64();
                    break;
                case Dw.UT_TYPE:
                case Dw.UT_SPLIT_TYPE:
                    c.u64();
                    c.offset(offsetSize);
                    break;
                default:
                    throw info.error(offset, "unknown unit type " + unitType);
            }
            if (c.pos > end) {
                throw info.error(offset, "unit header is longer than the unit");
            }
            return new Unit(owner, index, offset, end, c.pos, version, unitType, addressSize, offsetSize,
                    abbrevOffset, dwoId);
        } catch (IndexOutOfBoundsException e) {
            throw info.error(offset, "unit header runs past the end of the section");
        }
    }

    boolean isTypeUnit() {
        return unitType == Dw.UT_TYPE || unitType == Dw.UT_SPLIT_TYPE || rootTag == Dw.TAG_TYPE_UNIT;
    }

    boolean isSkeleton() {
        return unitType == Dw.UT_SKELETON || rootTag == Dw.TAG_SKELETON_UNIT || dwoName != null;
    }

    /** The base address for range lists and location lists: the (skeleton's) {@code DW_AT_low_pc}. */
    long baseAddress() {
        return skeleton != null ? skeleton.lowPc : lowPc;
    }

    /** The compilation directory, from the skeleton for split units. */
    String compilationDir() {
        if (compDir == null && skeleton != null) {
            return skeleton.compDir;
        }
        return compDir;
    }

    /** Reads the root DIE's attributes (names, bases, ranges). */
    void parseRoot() {
        DwarfSection info = sections.info;
        Cursor c = info.cursor(firstDie);
        try {
            int code = c.ulebInt();
            if (code == 0) {
                rootTag = 0;
                return;
            }
            Abbrev a = abbrevs.get(code, firstDie, info);
            rootTag = a.tag;
            int nameForm = 0;
            long nameRaw = 0;
            int compDirForm = 0;
            long compDirRaw = 0;
            int dwoForm = 0;
            long dwoRaw = 0;
            int lowForm = 0;
            long lowRaw = 0;
            int highForm = 0;
            long highRaw = 0;
            int rangesForm = 0;
            long rangesRaw = 0;
            for (int i = 0; i < a.attributes.length; i++) {
                int form = a.forms[i];
                if (form == Dw.FORM_INDIRECT) {
                    form = Forms.indirectForm(c);
                }
                int at = a.attributes[i];
                switch (at) {
                    case Dw.AT_NAME:
                        nameForm = form;
                        nameRaw = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_COMP_DIR:
                        compDirForm = form;
                        compDirRaw = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_DWO_NAME:
                    case Dw.AT_GNU_DWO_NAME:
                        dwoForm = form;
                        dwoRaw = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_STMT_LIST:
                        stmtList = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_LOW_PC:
                        lowForm = form;
                        lowRaw = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_HIGH_PC:
                        highForm = form;
                        highRaw = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_RANGES:
                        rangesForm = form;
                        rangesRaw = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_STR_OFFSETS_BASE:
                        strOffsetsBase = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_ADDR_BASE:
                    case Dw.AT_GNU_ADDR_BASE:
                        addrBase = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_RNGLISTS_BASE:
                        rnglistsBase = readRaw(c, form, a, i);
                        break;
                    case Dw.AT_GNU_RANGES_BASE:
                        gnuRangesBase = readRaw(c, form, a, i);
                        break;
                    default:
                        Forms.skip(c, form, addressSize, offsetSize, version);
                }
            }
            if (nameForm != 0) {
                name = resolveString(nameForm, nameRaw);
            }
            if (compDirForm != 0) {
                compDir = resolveString(compDirForm, compDirRaw);
            }
            if (dwoForm != 0) {
                dwoName = resolveString(dwoForm, dwoRaw);
            }
            if (lowForm != 0) {
                lowPc = resolveAddress(lowForm, lowRaw);
            }
            if (rangesForm != 0) {
                RangeList out = new RangeList();
                readRanges(rangesForm, rangesRaw, out);
                ranges = out.toArray();
            } else if (lowForm != 0 && highForm != 0) {
                long high = isAddressForm(highForm) ? resolveAddress(highForm, highRaw) : lowPc + highRaw;
                RangeList out = new RangeList();
                addRange(out, lowPc, high);
                ranges = out.toArray();
            }
        } catch (IndexOutOfBoundsException e) {
            throw info.error(c.pos, "root DIE of the unit at 0x" + Long.toHexString(offset)
                    + " runs past the end of the section");
        } catch (DwarfFormatException e) {
            throw e;
        }
    }

    /** Makes this split unit take its bases from its skeleton. */
    void attachSkeleton(Unit skel) {
        this.skeleton = skel;
        this.addrBase = skel.addrBase;
        if (version >= 5) {
            // DWARF 5 split units have no base attributes: their tables start after the first header.
            if (strOffsetsBase == 0) {
                strOffsetsBase = offsetSize == 8 ? 16 : 8;
            }
            if (rnglistsBase == 0) {
                rnglistsBase = offsetSize == 8 ? 20 : 12;
            }
        } else {
            this.gnuRangesBase = skel.gnuRangesBase;
        }
    }

    /** The value stored for attribute {@code i} of {@code a} (null outside a DIE), read as {@link Forms#read} says. */
    long readRaw(Cursor c, int form, Abbrev a, int i) {
        return Forms.read(c, form, addressSize, offsetSize, version, a, i);
    }

    static boolean isAddressForm(int form) {
        switch (form) {
            case Dw.FORM_ADDR:
            case Dw.FORM_ADDRX:
            case Dw.FORM_ADDRX1:
            case Dw.FORM_ADDRX2:
            case Dw.FORM_ADDRX3:
            case Dw.FORM_ADDRX4:
            case Dw.FORM_GNU_ADDR_INDEX:
                return true;
            default:
                return false;
        }
    }

    /** True for the forms whose raw value is a unit-relative DIE offset. */
    static boolean isUnitReference(int form) {
        return form >= Dw.FORM_REF1 && form <= Dw.FORM_REF_UDATA;
    }

    /** The string a string-class attribute names, or {@code null} for forms we cannot follow. */
    String resolveString(int form, long raw) {
        switch (form) {
            case Dw.FORM_STRING:
                return sections.info.cString(raw);
            case Dw.FORM_STRP:
                return sections.str.cString(raw);
            case Dw.FORM_LINE_STRP:
                return sections.lineStr.cString(raw);
            case Dw.FORM_STRX:
            case Dw.FORM_STRX1:
            case Dw.FORM_STRX2:
            case Dw.FORM_STRX3:
            case Dw.FORM_STRX4:
            case Dw.FORM_GNU_STR_INDEX:
                return sections.str.cString(stringOffset(raw));
            default:
                // DW_FORM_strp_sup / GNU_strp_alt point into a supplementary file we do not have.
                return null;
        }
    }

    private long stringOffset(long index) {
        DwarfSection so = sections.strOffsets;
        if (!so.isPresent()) {
            throw so.missing("a DW_FORM_strx attribute of the unit at 0x" + Long.toHexString(offset));
        }
        long at = strOffsetsBase + index * offsetSize;
        if (index < 0 || at + offsetSize > so.size) {
            throw so.error(at, "string index " + index + " of the unit at 0x" + Long.toHexString(offset)
                    + " is past the end of the section");
        }
        return so.cursor(at).offset(offsetSize);
    }

    /** The address an address-class attribute holds ({@code addr} or an index into {@code .debug_addr}). */
    long resolveAddress(int form, long raw) {
        if (form == Dw.FORM_ADDR) {
            return raw;
        }
        DwarfSection as = sections.addr;
        if (!as.isPresent()) {
            throw as.missing("a DW_FORM_addrx attribute of the unit at 0x" + Long.toHexString(offset));
        }
        long at = addrBase + raw * addressSize;
        if (raw < 0 || at + addressSize > as.size) {
            throw as.error(at, "address index " + raw + " of the unit at 0x" + Long.toHexString(offset)
                    + " is past the end of the section");
        }
        return as.cursor(at).address(addressSize);
    }

    /** The absolute {@code .debug_info} offset a reference names, or -1 for references we cannot follow. */
    long resolveReference(int form, long raw) {
        if (isUnitReference(form)) {
            return offset + raw;
        }
        if (form == Dw.FORM_REF_ADDR) {
            return raw;
        }
        return -1;
    }

    /** Appends the ranges of a {@code DW_AT_ranges} value to {@code out}. */
    void readRanges(int form, long raw, RangeList out) {
        if (version >= 5) {
            DwarfSection rl = sections.rnglists;
            if (!rl.isPresent()) {
                throw rl.missing("DW_AT_ranges of the unit at 0x" + Long.toHexString(offset));
            }
            long listOffset = raw;
            if (form == Dw.FORM_RNGLISTX) {
                long at = rnglistsBase + raw * offsetSize;
                if (at + offsetSize > rl.size) {
                    throw rl.error(at, "range list index " + raw + " is past the end of the section");
                }
                listOffset = rnglistsBase + rl.cursor(at).offset(offsetSize);
            }
            readRangeList(rl, listOffset, out);
        } else {
            DwarfSection r = sections.ranges;
            if (!r.isPresent()) {
                throw r.missing("DW_AT_ranges of the unit at 0x" + Long.toHexString(offset));
            }
            readLegacyRanges(r, raw + (skeleton != null ? gnuRangesBase : 0), out);
        }
    }

    private void readRangeList(DwarfSection rl, long listOffset, RangeList out) {
        Cursor c = rl.cursor(listOffset);
        long base = baseAddress();
        try {
            while (true) {
                int kind = c.u8();
                switch (kind) {
                    case Dw.RLE_END_OF_LIST:
                        return;
                    case Dw.RLE_BASE_ADDRESSX:
                        base = resolveAddress(Dw.FORM_ADDRX, c.uleb());
                        break;
                    case Dw.RLE_STARTX_ENDX: {
                        long lo = resolveAddress(Dw.FORM_ADDRX, c.uleb());
                        long hi = resolveAddress(Dw.FORM_ADDRX, c.uleb());
                        addRange(out, lo, hi);
                        break;
                    }
                    case Dw.RLE_STARTX_LENGTH: {
                        long lo = resolveAddress(Dw.FORM_ADDRX, c.uleb());
                        addRange(out, lo, lo + c.uleb());
                        break;
                    }
                    case Dw.RLE_OFFSET_PAIR: {
                        long lo = base + c.uleb();
                        long hi = base + c.uleb();
                        addRange(out, lo, hi);
                        break;
                    }
                    case Dw.RLE_BASE_ADDRESS:
                        base = c.address(addressSize);
                        break;
                    case Dw.RLE_START_END: {
                        long lo = c.address(addressSize);
                        addRange(out, lo, c.address(addressSize));
                        break;
                    }
                    case Dw.RLE_START_LENGTH: {
                        long lo = c.address(addressSize);
                        addRange(out, lo, lo + c.uleb());
                        break;
                    }
                    default:
                        throw rl.error(c.pos - 1, "unknown range list entry kind " + kind);
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw rl.error(listOffset, "range list runs past the end of the section");
        }
    }

    private void readLegacyRanges(DwarfSection r, long listOffset, RangeList out) {
        Cursor c = r.cursor(listOffset);
        long base = baseAddress();
        long max = addressSize == 8 ? -1L : (1L << (addressSize * 8)) - 1;
        try {
            while (true) {
                long lo = c.address(addressSize);
                long hi = c.address(addressSize);
                if (lo == 0 && hi == 0) {
                    return;
                }
                if (lo == max) {
                    base = hi;
                } else {
                    addRange(out, base + lo, base + hi);
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw r.error(listOffset, "range list runs past the end of the section");
        }
    }

    /**
     * Adds {@code [lo, hi)} unless it is empty or starts at a tombstone: -1/-2 (lld and newer
     * toolchains) or 0 where no code lives (discarded sections resolved to 0 by older linkers).
     */
    void addRange(RangeList out, long lo, long hi) {
        if (Long.compareUnsigned(lo, hi) >= 0) {
            return;
        }
        if (Long.compareUnsigned(lo, tombstone) >= 0 || (lo == 0 && !owner.zeroIsCode)) {
            return;
        }
        out.add(lo, hi);
    }

    boolean isTombstone(long address) {
        return Long.compareUnsigned(address, tombstone) >= 0 || (address == 0 && !owner.zeroIsCode);
    }

    @Override
    public String toString() {
        return "unit@0x" + Long.toHexString(offset) + (name != null ? " " + name : "");
    }
}
