package dev.kcovexplorer.symbolizer.dwarf;

import dev.kcovexplorer.symbolizer.elf.AddressSearch;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DWARF of one ELF file: every unit's header and root attributes (read when opened), an index
 * from code ranges to units, and on demand per unit the line table and function tree
 * ({@link #unit(int)}). For split DWARF the {@code .dwo} files named by skeleton units are opened
 * on first use; a missing one is reported when the binary is opened. Thread-safe.
 */
public final class DebugInfo {
    private static final String NO_NAME = new String("");
    private static final int MAX_REFERENCE_HOPS = 64;

    final DwarfSections sections;
    final boolean zeroIsCode;
    private final ElfFile elf;
    private final Unit[] units;
    private final long[] unitOffsets;
    private final Map<Long, AbbrevTable> abbrevCache = new ConcurrentHashMap<>();
    /** A kernel's ~2,700 units declare ~380k abbreviations, nearly all equal to another unit's. */
    private final AbbrevInterner abbrevInterner = new AbbrevInterner();
    private final Map<Long, String> functionNames = new ConcurrentHashMap<>(1 << 16);
    private final Map<Path, DebugInfo> dwoFiles = new HashMap<>();
    private final Map<Integer, Path> dwoPaths = new HashMap<>();
    private long[] rangeLo = new long[0];
    private long[] rangeHi = new long[0];
    private long[] rangeMaxHi = new long[0];
    private int[] rangeUnit = new int[0];

    private DebugInfo(ElfFile elf, DwarfSections sections, boolean zeroIsCode) {
        this.elf = elf;
        this.sections = sections;
        this.zeroIsCode = zeroIsCode;
        List<Unit> list = new ArrayList<>();
        DwarfSection info = sections.info;
        long offset = 0;
        while (offset < info.size) {
            Unit u = Unit.parseHeader(this, list.size(), offset);
            list.add(u);
            offset = u.end;
        }
        this.units = list.toArray(new Unit[0]);
        this.unitOffsets = new long[units.length];
        for (int i = 0; i < units.length; i++) {
            unitOffsets[i] = units[i].offset;
            units[i].parseRoot();
        }
    }

    /**
     * Reads the unit headers and root DIEs of {@code elf}'s DWARF and indexes their code ranges.
     * A file without {@code .debug_info} yields an empty index (every PC unknown).
     */
    public static DebugInfo load(ElfFile elf) {
        DebugInfo d = new DebugInfo(elf, DwarfSections.of(elf), hasCodeAtZero(elf));
        d.locateSplitUnits();
        d.indexUnitRanges();
        return d;
    }

    private static boolean hasCodeAtZero(ElfFile elf) {
        for (ElfSection s : elf.sections()) {
            if (s.isExecutable() && s.address() == 0 && s.fileSize() > 0) {
                return true;
            }
        }
        return false;
    }

    public int unitCount() {
        return units.length;
    }

    Unit unitAt(int index) {
        return units[index];
    }

    /** The compilation directory most compile units share (the build's source root), or null. */
    public String compDir() {
        Map<String, Integer> counts = new HashMap<>();
        String best = null;
        int bestCount = 0;
        for (Unit u : units) {
            if (u.compDir != null && !u.isTypeUnit()) {
                int n = counts.merge(u.compDir, 1, Integer::sum);
                if (n > bestCount) {
                    best = u.compDir;
                    bestCount = n;
                }
            }
        }
        return best;
    }

    /** Every compilation directory of the compile units (a tree recompiled in part elsewhere has several). */
    public java.util.Set<String> compDirs() {
        java.util.Set<String> dirs = new java.util.TreeSet<>();
        for (Unit u : units) {
            if (u.compDir != null && !u.isTypeUnit()) {
                dirs.add(u.compDir);
            }
        }
        return dirs;
    }

    AbbrevTable abbrevTable(long offset, int addressSize, int offsetSize, int version) {
        long key = offset << 8 | (long) addressSize << 4 | (offsetSize == 8 ? 2 : 0) | (version <= 2 ? 1 : 0);
        AbbrevTable t = abbrevCache.get(key);
        if (t == null) {
            t = AbbrevTable.parse(sections.abbrev, offset, addressSize, offsetSize, version, abbrevInterner);
            AbbrevTable raced = abbrevCache.putIfAbsent(key, t);
            if (raced != null) {
                t = raced;
            }
        }
        return t;
    }

    /** Finds the .dwo file of every skeleton unit now, so a missing one is one clear error up front. */
    private void locateSplitUnits() {
        Set<String> missing = new LinkedHashSet<>();
        for (Unit u : units) {
            if (!u.isSkeleton() || u.dwoName == null) {
                continue;
            }
            List<Path> candidates = dwoCandidates(u);
            Path found = null;
            for (Path p : candidates) {
                if (Files.isRegularFile(p)) {
                    found = p;
                    break;
                }
            }
            if (found == null) {
                missing.add(u.dwoName + " (looked in " + candidates + ")");
            } else {
                dwoPaths.put(u.index, found);
            }
        }
        if (!missing.isEmpty()) {
            throw new DwarfFormatException(sections.file + ": split DWARF file" + (missing.size() > 1 ? "s" : "")
                    + " not found: " + String.join(", ", missing));
        }
    }

    private List<Path> dwoCandidates(Unit u) {
        Path name = Path.of(u.dwoName);
        Set<Path> out = new LinkedHashSet<>();
        if (name.isAbsolute()) {
            out.add(name);
        } else if (u.compDir != null) {
            out.add(Path.of(u.compDir).resolve(name));
        }
        Path dir = elf.path().toAbsolutePath().getParent();
        if (dir != null) {
            if (!name.isAbsolute()) {
                out.add(dir.resolve(name));
            }
            out.add(dir.resolve(name.getFileName()));
        }
        return new ArrayList<>(out);
    }

    private void indexUnitRanges() {
        RangeList all = new RangeList();
        List<Integer> owners = new ArrayList<>();
        for (Unit u : units) {
            if (u.isTypeUnit()) {
                continue;
            }
            long[] r = u.ranges;
            if (r == null && u.stmtList >= 0) {
                // No ranges on the unit DIE: its line program's sequences say where its code is.
                LineTable t = LineTable.read(u, u.stmtList);
                RangeList fromLines = new RangeList();
                for (int s = 0; s < t.sequenceCount(); s++) {
                    fromLines.add(t.sequenceLow(s), t.sequenceHigh(s));
                }
                r = fromLines.toArray();
            }
            if (r == null) {
                continue;
            }
            for (int i = 0; i + 1 < r.length; i += 2) {
                all.add(r[i], r[i + 1]);
                owners.add(u.index);
            }
        }
        long[] lo = new long[all.pairCount()];
        for (int i = 0; i < lo.length; i++) {
            lo[i] = all.lo(i);
        }
        int[] order = SortIndex.byUnsigned(lo);
        int n = order.length;
        rangeLo = new long[n];
        rangeHi = new long[n];
        rangeMaxHi = new long[n];
        rangeUnit = new int[n];
        long max = 0;
        for (int i = 0; i < n; i++) {
            int o = order[i];
            rangeLo[i] = all.lo(o);
            rangeHi[i] = all.hi(o);
            rangeUnit[i] = owners.get(o);
            if (i == 0 || Long.compareUnsigned(rangeHi[i], max) > 0) {
                max = rangeHi[i];
            }
            rangeMaxHi[i] = max;
        }
    }

    /** The index of the unit whose code contains {@code pc}, or -1. */
    public int unitFor(long pc) {
        int lo = AddressSearch.upperBound(rangeLo, 0, rangeLo.length, pc);
        for (int i = lo - 1; i >= 0 && Long.compareUnsigned(rangeMaxHi[i], pc) > 0; i--) {
            if (Long.compareUnsigned(pc, rangeHi[i]) < 0) {
                return rangeUnit[i];
            }
        }
        return -1;
    }

    /**
     * Parses unit {@code index}'s line table and function tree (from its {@code .dwo} for a skeleton
     * unit). Costly: build once per unit and reuse for all of its PCs.
     */
    public UnitSymbolizer unit(int index) {
        Unit u = units[index];
        LineTable lines = u.stmtList >= 0 ? LineTable.read(u, u.stmtList) : null;
        Path dwo = dwoPaths.get(index);
        if (dwo == null) {
            return new UnitSymbolizer(this, lines, FunctionTable.build(u));
        }
        DebugInfo split = dwoFile(dwo);
        Unit splitUnit = split.splitUnitFor(u);
        return new UnitSymbolizer(split, lines, FunctionTable.build(splitUnit));
    }

    private DebugInfo dwoFile(Path path) {
        synchronized (dwoFiles) {
            DebugInfo d = dwoFiles.get(path);
            if (d == null) {
                try {
                    ElfFile dwoElf = ElfFile.open(path);
                    d = new DebugInfo(dwoElf, DwarfSections.ofDwo(dwoElf, sections), zeroIsCode);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read split DWARF file " + path + ": " + e.getMessage(), e);
                }
                dwoFiles.put(path, d);
            }
            return d;
        }
    }

    /** The split compile unit matching {@code skeleton}'s DWO id (or the only one). */
    private Unit splitUnitFor(Unit skeleton) {
        Unit only = null;
        int compileUnits = 0;
        for (Unit u : units) {
            if (u.isTypeUnit()) {
                continue;
            }
            compileUnits++;
            only = u;
            if (skeleton.dwoId != 0 && u.dwoId == skeleton.dwoId) {
                only = u;
                compileUnits = 1;
                break;
            }
        }
        if (only == null || (compileUnits != 1)) {
            throw new DwarfFormatException(sections.file + ": no split compile unit with DWO id 0x"
                    + Long.toHexString(skeleton.dwoId) + " (wanted by the skeleton unit at 0x"
                    + Long.toHexString(skeleton.offset) + " of " + skeleton.sections.file + ")");
        }
        synchronized (only) {
            if (only.skeleton == null) {
                only.attachSkeleton(skeleton);
            }
        }
        return only;
    }

    /** The DWARF name of the subroutine at {@code die}, following abstract_origin / specification. */
    String functionName(long die) {
        String n = functionNames.get(die);
        if (n == null) {
            n = resolveName(die);
        }
        return n == NO_NAME ? null : n;
    }

    /** Follows the reference chain from {@code die} to a name; caches the answer for every DIE passed. */
    private String resolveName(long die) {
        // Grown on demand: nearly every chain is one or two hops, and this runs ~250k times for a kernel.
        long[] seen = new long[4];
        int hops = 0;
        long current = die;
        String linkage = null;
        String result = null;
        while (true) {
            String cached = functionNames.get(current);
            if (cached != null) {
                result = cached == NO_NAME && linkage != null ? linkage : cached;
                break;
            }
            for (int i = 0; i < hops; i++) {
                if (seen[i] == current) {
                    throw sections.info.error(die, "abstract_origin/specification references form a cycle through 0x"
                            + Long.toHexString(current));
                }
            }
            if (hops == MAX_REFERENCE_HOPS) {
                throw sections.info.error(die, "more than " + MAX_REFERENCE_HOPS + " abstract_origin/specification hops");
            }
            if (hops == seen.length) {
                seen = Arrays.copyOf(seen, Math.min(2 * hops, MAX_REFERENCE_HOPS));
            }
            seen[hops++] = current;
            DieNames names = readNames(current, die);
            if (linkage == null) {
                linkage = names.linkage;
            }
            if (names.name != null) {
                result = names.name;
                break;
            }
            if (names.next < 0) {
                result = linkage == null ? NO_NAME : linkage;
                break;
            }
            current = names.next;
        }
        for (int i = 0; i < hops; i++) {
            functionNames.put(seen[i], result);
        }
        return result;
    }

    /**
     * The {@code DW_AT_decl_file} of the subroutine at {@code die}, following abstract_origin /
     * specification, as a file index of the line table of {@code die}'s own unit; -1 when no DIE of the
     * chain has one, or the one that has it lies in another unit (its index would name another table).
     */
    int functionDeclFile(long die) {
        Unit home = unitContaining(die, die);
        long current = die;
        for (int hops = 0; hops < MAX_REFERENCE_HOPS && current >= 0; hops++) {
            DieNames names = readNames(current, die);
            if (names.declFile >= 0) {
                return unitContaining(current, die) == home ? names.declFile : -1;
            }
            current = names.next;
        }
        return -1;
    }

    /** What one DIE says about its name and declaration. */
    private record DieNames(String name, String linkage, long next, int declFile) {
    }

    private DieNames readNames(long offset, long from) {
        Unit u = unitContaining(offset, from);
        DwarfSection info = sections.info;
        Cursor c = info.cursor(offset);
        String name = null;
        String linkage = null;
        long next = -1;
        int declFile = -1;
        try {
            int code = c.ulebInt();
            if (code == 0) {
                throw info.error(offset, "reference from DIE 0x" + Long.toHexString(from) + " names a null entry");
            }
            Abbrev a = u.abbrevs.get(code, offset, info);
            for (int i = 0; i < a.attributes.length; i++) {
                int form = a.forms[i] == Dw.FORM_INDIRECT ? Forms.indirectForm(c) : a.forms[i];
                switch (a.attributes[i]) {
                    case Dw.AT_NAME:
                        name = u.resolveString(form, u.readRaw(c, form, a, i));
                        break;
                    case Dw.AT_LINKAGE_NAME:
                    case Dw.AT_MIPS_LINKAGE_NAME:
                        linkage = u.resolveString(form, u.readRaw(c, form, a, i));
                        break;
                    case Dw.AT_ABSTRACT_ORIGIN:
                        next = u.resolveReference(form, u.readRaw(c, form, a, i));
                        break;
                    case Dw.AT_SPECIFICATION: {
                        long spec = u.resolveReference(form, u.readRaw(c, form, a, i));
                        if (next < 0) {
                            next = spec;
                        }
                        break;
                    }
                    case Dw.AT_DECL_FILE:
                        declFile = (int) u.readRaw(c, form, a, i);
                        break;
                    default: {
                        int size = a.formSizes[i];
                        if (size >= 0 && form == a.forms[i]) {
                            c.pos += size;
                        } else {
                            Forms.skip(c, form, u.addressSize, u.offsetSize, u.version);
                        }
                    }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw info.error(offset, "DIE runs past the end of the section");
        }
        return new DieNames(name, linkage, next, declFile);
    }

    private Unit unitContaining(long offset, long from) {
        int lo = 0;
        int hi = unitOffsets.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (unitOffsets[mid] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == 0 || offset < units[lo - 1].firstDie || offset >= units[lo - 1].end) {
            throw sections.info.error(from, "reference to 0x" + Long.toHexString(offset)
                    + " points outside every unit's DIEs");
        }
        return units[lo - 1];
    }
}
