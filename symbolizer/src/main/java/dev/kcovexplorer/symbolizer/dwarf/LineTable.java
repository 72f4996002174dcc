package dev.kcovexplorer.symbolizer.dwarf;

import dev.kcovexplorer.symbolizer.elf.AddressSearch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code .debug_line} program (DWARF 2–5), run into rows and cut into sequences. Sequences are
 * sorted by start address; within a sequence the row for a PC is the last row whose address is
 * {@code <= PC} (so of several rows at one address the last one wins, as in llvm-symbolizer).
 * Sequences that start at a tombstone address are dropped.
 */
final class LineTable {
    private static final int[] NO_INTS = new int[0];

    final int version;
    private final Unit unit;
    private final String compDir;
    private final List<String> directories = new ArrayList<>();
    private final List<String> fileNames = new ArrayList<>();
    private int[] fileDirs = new int[16];
    /** Paths built on first use; sized once the program has run, so concurrent readers never see it grow. */
    private String[] resolvedFiles = new String[0];

    // Rows, in program order; a sequence's rows are rows[seqFirst[s] .. seqLast[s]] and its last row
    // is the end_sequence row.
    private long[] rowAddress = new long[64];
    private int[] rowFile = new int[64];
    private int[] rowLine = new int[64];
    private int[] rowColumn = new int[64];
    private int rowCount;
    private int[] seqFirst = NO_INTS;
    private int[] seqLast = NO_INTS;
    private long[] seqLow = new long[0];
    private long[] seqHigh = new long[0];

    private LineTable(Unit unit, int version, String compDir) {
        this.unit = unit;
        this.version = version;
        this.compDir = compDir;
    }

    /** Reads the line program at {@code offset} of {@code unit}'s {@code .debug_line}. */
    static LineTable read(Unit unit, long offset) {
        DwarfSection line = unit.sections.line;
        if (!line.isPresent()) {
            throw line.missing("DW_AT_stmt_list of the unit at 0x" + Long.toHexString(unit.offset));
        }
        Cursor c = line.cursor(offset);
        try {
            c = line.copyingCursor(offset, programEnd(c));
            return parse(unit, line, c, offset);
        } catch (IndexOutOfBoundsException e) {
            throw line.error(c.pos, "line program starting at 0x" + Long.toHexString(offset)
                    + " runs past the end of the section");
        }
    }

    /** Where the program whose unit length {@code c} is at ends, as its header says (checked by the parse). */
    private static long programEnd(Cursor c) {
        long length = c.u32();
        if (length == 0xffffffffL) {
            length = c.u64();
        }
        return c.pos + length;
    }

    private static LineTable parse(Unit unit, DwarfSection section, Cursor c, long offset) {
        long length = c.u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            length = c.u64();
            offsetSize = 8;
        }
        long end = c.pos + length;
        if (length < 0 || end > section.size) {
            throw section.error(offset, "line program length " + length + " runs past the end of the section");
        }
        int version = c.u16();
        if (version < 2 || version > 5) {
            throw section.error(offset, "unsupported line table version " + version + " (expected 2 to 5)");
        }
        int addressSize = unit.addressSize;
        if (version >= 5) {
            addressSize = c.u8();
            c.u8(); // segment selector size
        }
        long headerLength = c.offset(offsetSize);
        long programStart = c.pos + headerLength;
        if (headerLength < 0 || programStart > end) {
            throw section.error(offset, "line table header is longer than the line program");
        }
        int minInstLength = c.u8();
        int maxOps = version >= 4 ? c.u8() : 1;
        if (maxOps == 0) {
            throw section.error(offset, "maximum_operations_per_instruction is 0");
        }
        boolean defaultIsStmt = c.u8() != 0;
        int lineBase = c.s8();
        int lineRange = c.u8();
        if (lineRange == 0) {
            throw section.error(offset, "line_range is 0");
        }
        int opcodeBase = c.u8();
        int[] standardLengths = new int[Math.max(opcodeBase, 1)];
        for (int i = 1; i < opcodeBase; i++) {
            standardLengths[i] = c.u8();
        }
        String compDir = unit.compilationDir();
        LineTable t = new LineTable(unit, version, compDir);
        if (version >= 5) {
            t.readV5Entries(c, section, true, offsetSize);
            t.readV5Entries(c, section, false, offsetSize);
        } else {
            while (true) {
                String dir = c.cString();
                if (dir.isEmpty()) {
                    break;
                }
                t.directories.add(dir);
            }
            while (true) {
                String name = c.cString();
                if (name.isEmpty()) {
                    break;
                }
                int dir = c.ulebInt();
                c.skipUleb();
                c.skipUleb();
                t.addFile(name, dir);
            }
        }
        c.pos = (int) programStart;
        t.reserveRows(end - programStart);
        t.run(c, (int) end, addressSize, minInstLength, maxOps, defaultIsStmt, lineBase, lineRange, opcodeBase,
                standardLengths);
        return t;
    }

    private void readV5Entries(Cursor c, DwarfSection section, boolean dirs, int offsetSize) {
        int formatCount = c.u8();
        int[] types = new int[formatCount];
        int[] forms = new int[formatCount];
        for (int i = 0; i < formatCount; i++) {
            types[i] = c.ulebInt();
            forms[i] = c.ulebInt();
        }
        long count = c.uleb();
        if (count < 0 || count > section.size) {
            throw section.error(c.pos, "implausible line table entry count " + count);
        }
        for (long e = 0; e < count; e++) {
            String path = null;
            int dir = 0;
            for (int i = 0; i < formatCount; i++) {
                int form = forms[i];
                if (types[i] == Dw.LNCT_PATH) {
                    path = readString(c, section, form, offsetSize);
                } else if (types[i] == Dw.LNCT_DIRECTORY_INDEX) {
                    dir = (int) readConstant(c, section, form);
                } else {
                    Forms.skip(c, form, unit.addressSize, offsetSize, 5);
                }
            }
            if (dirs) {
                directories.add(path == null ? "" : path);
            } else {
                addFile(path == null ? "" : path, dir);
            }
        }
    }

    /** A path in the header; offsets have the line table's size, which need not be its unit's. */
    private String readString(Cursor c, DwarfSection section, int form, int offsetSize) {
        switch (form) {
            case Dw.FORM_STRING:
                return c.cString();
            case Dw.FORM_LINE_STRP:
                return unit.sections.lineStr.cString(c.offset(offsetSize));
            case Dw.FORM_STRP:
                return unit.sections.str.cString(c.offset(offsetSize));
            case Dw.FORM_STRX:
            case Dw.FORM_STRX1:
            case Dw.FORM_STRX2:
            case Dw.FORM_STRX3:
            case Dw.FORM_STRX4: {
                long raw = unit.readRaw(c, form, null, 0);
                return unit.resolveString(form, raw);
            }
            default:
                throw section.error(c.pos, "unsupported form 0x" + Integer.toHexString(form) + " for a path");
        }
    }

    private static long readConstant(Cursor c, DwarfSection section, int form) {
        switch (form) {
            case Dw.FORM_DATA1:
                return c.u8();
            case Dw.FORM_DATA2:
                return c.u16();
            case Dw.FORM_DATA4:
                return c.u32();
            case Dw.FORM_DATA8:
                return c.u64();
            case Dw.FORM_UDATA:
                return c.uleb();
            default:
                throw section.error(c.pos, "unsupported form 0x" + Integer.toHexString(form) + " for a directory index");
        }
    }

    private void addFile(String name, int dir) {
        int i = fileNames.size();
        fileNames.add(name);
        if (i == fileDirs.length) {
            fileDirs = Arrays.copyOf(fileDirs, i * 2);
        }
        fileDirs[i] = dir;
    }

    private void run(Cursor c, int end, int addressSize, int minInst, int maxOps, boolean defaultIsStmt,
                     int lineBase, int lineRange, int opcodeBase, int[] standardLengths) {
        List<long[]> sequences = new ArrayList<>();
        long address = 0;
        int opIndex = 0;
        int file = 1;
        int line = 1;
        int column = 0;
        int seqStart = rowCount;
        boolean tombstoned = false;
        while (c.pos < end) {
            int opcode = c.u8();
            if (opcode >= opcodeBase) {
                int adjusted = opcode - opcodeBase;
                int advance = adjusted / lineRange;
                if (maxOps == 1) {
                    address += (long) minInst * advance;
                } else {
                    address += (long) minInst * ((opIndex + advance) / maxOps);
                    opIndex = (opIndex + advance) % maxOps;
                }
                line += lineBase + adjusted % lineRange;
                addRow(address, file, line, column);
                continue;
            }
            switch (opcode) {
                case 0: {
                    long len = c.uleb();
                    int next = (int) Math.min((long) c.pos + len, end);
                    if (len == 0) {
                        break;
                    }
                    int sub = c.u8();
                    switch (sub) {
                        case Dw.LNE_END_SEQUENCE:
                            addRow(address, file, line, column);
                            if (!tombstoned && rowCount - seqStart >= 2 && Long.compareUnsigned(rowAddress[seqStart], address) < 0
                                    && !unit.isTombstone(rowAddress[seqStart])) {
                                sequences.add(new long[] {seqStart, rowCount - 1});
                            } else {
                                rowCount = seqStart;
                            }
                            seqStart = rowCount;
                            address = 0;
                            opIndex = 0;
                            file = 1;
                            line = 1;
                            column = 0;
                            tombstoned = false;
                            break;
                        case Dw.LNE_SET_ADDRESS: {
                            int size = (int) len - 1;
                            address = size == 8 ? c.u64() : c.address(size);
                            opIndex = 0;
                            if (unit.isTombstone(address) && rowCount == seqStart) {
                                tombstoned = true;
                            }
                            break;
                        }
                        case Dw.LNE_DEFINE_FILE: {
                            String name = c.cString();
                            int dir = c.ulebInt();
                            addFile(name, dir);
                            break;
                        }
                        default:
                            break; // set_discriminator and vendor extensions carry nothing we use
                    }
                    c.pos = next;
                    break;
                }
                case Dw.LNS_COPY:
                    addRow(address, file, line, column);
                    break;
                case Dw.LNS_ADVANCE_PC: {
                    long adv = c.uleb();
                    if (maxOps == 1) {
                        address += minInst * adv;
                    } else {
                        address += minInst * ((opIndex + adv) / maxOps);
                        opIndex = (int) ((opIndex + adv) % maxOps);
                    }
                    break;
                }
                case Dw.LNS_ADVANCE_LINE:
                    line += (int) c.sleb();
                    break;
                case Dw.LNS_SET_FILE:
                    file = (int) c.uleb();
                    break;
                case Dw.LNS_SET_COLUMN:
                    column = (int) c.uleb();
                    break;
                case Dw.LNS_NEGATE_STMT:
                case Dw.LNS_SET_BASIC_BLOCK:
                case Dw.LNS_SET_PROLOGUE_END:
                case Dw.LNS_SET_EPILOGUE_BEGIN:
                    break;
                case Dw.LNS_CONST_ADD_PC: {
                    int advance = (255 - opcodeBase) / lineRange;
                    if (maxOps == 1) {
                        address += (long) minInst * advance;
                    } else {
                        address += (long) minInst * ((opIndex + advance) / maxOps);
                        opIndex = (opIndex + advance) % maxOps;
                    }
                    break;
                }
                case Dw.LNS_FIXED_ADVANCE_PC:
                    address += c.u16();
                    opIndex = 0;
                    break;
                default:
                    // Unknown standard opcode: skip its ULEB operands as the header declares.
                    for (int i = 0; i < standardLengths[opcode]; i++) {
                        c.skipUleb();
                    }
            }
        }
        finishSequences(sequences);
        resolvedFiles = new String[fileNames.size()];
    }

    /**
     * Sizes the row columns for a program of {@code programBytes}: a kernel's programs take 3-4 bytes a
     * row, and growing from a few rows by doubling allocated twice the rows' memory (~200 MB per kernel).
     */
    private void reserveRows(long programBytes) {
        int expected = (int) Math.min(programBytes / 3 + 16, 1 << 24);
        if (expected > rowAddress.length) {
            rowAddress = new long[expected];
            rowFile = new int[expected];
            rowLine = new int[expected];
            rowColumn = new int[expected];
        }
    }

    private void addRow(long address, int file, int line, int column) {
        if (rowCount == rowAddress.length) {
            int n = rowCount * 2;
            rowAddress = Arrays.copyOf(rowAddress, n);
            rowFile = Arrays.copyOf(rowFile, n);
            rowLine = Arrays.copyOf(rowLine, n);
            rowColumn = Arrays.copyOf(rowColumn, n);
        }
        rowAddress[rowCount] = address;
        rowFile[rowCount] = file;
        rowLine[rowCount] = line;
        rowColumn[rowCount] = column;
        rowCount++;
    }

    private void finishSequences(List<long[]> sequences) {
        int n = sequences.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Sorted by start address, ties by end, like llvm's sequence order.
        Arrays.sort(order, (a, b) -> {
            int cmp = Long.compareUnsigned(rowAddress[(int) sequences.get(a)[0]], rowAddress[(int) sequences.get(b)[0]]);
            return cmp != 0 ? cmp : Long.compareUnsigned(rowAddress[(int) sequences.get(a)[1]],
                    rowAddress[(int) sequences.get(b)[1]]);
        });
        seqFirst = new int[n];
        seqLast = new int[n];
        seqLow = new long[n];
        seqHigh = new long[n];
        for (int i = 0; i < n; i++) {
            long[] s = sequences.get(order[i]);
            seqFirst[i] = (int) s[0];
            seqLast[i] = (int) s[1];
            seqLow[i] = rowAddress[seqFirst[i]];
            seqHigh[i] = rowAddress[seqLast[i]];
            sortRowsIfNeeded(seqFirst[i], seqLast[i]);
        }
    }

    /** Rows of a sequence should already ascend; reorder them stably when a producer did not. */
    private void sortRowsIfNeeded(int first, int last) {
        for (int r = first + 1; r < last; r++) {
            if (Long.compareUnsigned(rowAddress[r - 1], rowAddress[r]) > 0) {
                Integer[] idx = new Integer[last - first];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = first + i;
                }
                Arrays.sort(idx, (a, b) -> Long.compareUnsigned(rowAddress[a], rowAddress[b]));
                long[] a = new long[idx.length];
                int[] f = new int[idx.length];
                int[] l = new int[idx.length];
                int[] col = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    a[i] = rowAddress[idx[i]];
                    f[i] = rowFile[idx[i]];
                    l[i] = rowLine[idx[i]];
                    col[i] = rowColumn[idx[i]];
                }
                System.arraycopy(a, 0, rowAddress, first, idx.length);
                System.arraycopy(f, 0, rowFile, first, idx.length);
                System.arraycopy(l, 0, rowLine, first, idx.length);
                System.arraycopy(col, 0, rowColumn, first, idx.length);
                return;
            }
        }
    }

    int sequenceCount() {
        return seqLow.length;
    }

    long sequenceLow(int s) {
        return seqLow[s];
    }

    long sequenceHigh(int s) {
        return seqHigh[s];
    }

    /** The row describing {@code pc}, or -1 when no sequence covers it. */
    int findRow(long pc) {
        // The first sequence whose end lies above pc (llvm's upper_bound by HighPC), then containment.
        int lo = AddressSearch.upperBound(seqHigh, 0, seqLow.length, pc);
        for (int s = lo; s < seqLow.length; s++) {
            if (Long.compareUnsigned(seqLow[s], pc) <= 0 && Long.compareUnsigned(pc, seqHigh[s]) < 0) {
                return rowIn(s, pc);
            }
            if (Long.compareUnsigned(seqLow[s], pc) > 0) {
                break;
            }
        }
        return -1;
    }

    private int rowIn(int s, long pc) {
        // Last row in [first, last) with address <= pc.
        return AddressSearch.upperBound(rowAddress, seqFirst[s] + 1, seqLast[s], pc) - 1;
    }

    int rowLine(int row) {
        return rowLine[row];
    }

    int rowColumn(int row) {
        return rowColumn[row];
    }

    int rowFile(int row) {
        return rowFile[row];
    }

    /**
     * The full path of file {@code index} (DWARF 5: 0-based, 0 = the primary file; before: 1-based),
     * built like llvm-symbolizer builds it (comp dir + include dir + name) with {@code /./} collapsed;
     * {@code null} for an index the table does not have.
     */
    String filePath(int index) {
        int entry = version >= 5 ? index : index - 1;
        if (entry < 0 || entry >= fileNames.size()) {
            return null;
        }
        String p = resolvedFiles[entry];
        if (p == null) {
            p = SourcePaths.join(compDir, includeDir(fileDirs[entry]), fileNames.get(entry));
            resolvedFiles[entry] = p;
        }
        return p;
    }

    private String includeDir(int dir) {
        if (version >= 5) {
            return dir >= 0 && dir < directories.size() ? directories.get(dir) : null;
        }
        return dir > 0 && dir <= directories.size() ? directories.get(dir - 1) : null;
    }
}
