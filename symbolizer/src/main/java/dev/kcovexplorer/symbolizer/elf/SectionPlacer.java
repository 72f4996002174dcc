package dev.kcovexplorer.symbolizer.elf;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides where each section of a relocatable object lies once placed ({@link ElfFile#place(Map)}):
 * the layout's sections where it says, every other allocated section after them (page-aligned, each at
 * its own alignment) and after those one 16-byte import stub per undefined symbol, so that calls of
 * kernel functions get a target that is no function of the object. Also decides which sections get
 * their relocations applied.
 */
final class SectionPlacer {
    private static final long PAGE = 4096;
    private static final long STUB_SIZE = 16;

    private final ElfFile rel;
    private final long[] addresses;
    private final BitSet placed = new BitSet();
    private final SectionFixup[] fixups;
    /** Per symbol index + 1, the import stub of an undefined symbol (0 for defined ones). */
    private long[] stubs = new long[0];

    private SectionPlacer(ElfFile rel) {
        this.rel = rel;
        this.addresses = new long[rel.sections().size()];
        this.fixups = new SectionFixup[addresses.length];
    }

    static SectionPlacer of(ElfFile rel, Map<String, Long> requested) {
        if (rel.isPlaced()) {
            throw new ElfFormatException(rel.path() + " is already placed");
        }
        if (rel.type() != ElfFile.ET_REL) {
            throw new ElfFormatException(rel.path() + ": only a relocatable object (ET_REL, such as a .ko) can be"
                    + " placed at load addresses; this file has e_type " + rel.type());
        }
        if (rel.machine() != ElfMachine.X86_64 || !rel.is64Bit()) {
            throw new ElfFormatException(rel.path() + ": placing relocatable objects is only supported for x86-64,"
                    + " not " + rel.machine().archName());
        }
        SectionPlacer p = new SectionPlacer(rel);
        p.placeRequested(new TreeMap<>(requested));
        p.checkOverlaps();
        p.stubs = p.placeRest();
        p.planRelocations(p.stubs);
        return p;
    }

    long[] addresses() {
        return addresses;
    }

    SectionFixup[] fixups() {
        return fixups;
    }

    /** Each undefined symbol's name by the address of its import stub. */
    Map<Long, String> importStubs() {
        Map<Long, String> out = new java.util.HashMap<>();
        List<ElfSymbol> symbols = rel.symbols().all();
        for (int i = 0; i < symbols.size(); i++) {
            if (stubs[i + 1] != 0 && !symbols.get(i).name().isEmpty()) {
                out.put(stubs[i + 1], symbols.get(i).name());
            }
        }
        return out;
    }

    BitSet placedByLayout() {
        return placed;
    }

    private void placeRequested(Map<String, Long> requested) {
        for (Map.Entry<String, Long> e : requested.entrySet()) {
            String name = e.getKey();
            List<ElfSection> allocated = new ArrayList<>(1);
            boolean exists = false;
            for (ElfSection s : rel.sections()) {
                if (s.name().equals(name) && s.index() > 0) {
                    exists = true;
                    if (s.isAllocated()) {
                        allocated.add(s);
                    }
                }
            }
            if (!exists) {
                throw new ElfFormatException(rel.path() + " has no section " + name + ", which the layout places at 0x"
                        + Long.toHexString(e.getValue()) + " (is this the build that was loaded?)");
            }
            if (allocated.size() > 1) {
                throw new ElfFormatException(rel.path() + " has " + allocated.size() + " allocated sections named "
                        + name + ": a layout by name cannot say where each of them is");
            }
            if (allocated.size() == 1) {
                ElfSection s = allocated.get(0);
                addresses[s.index()] = e.getValue();
                placed.set(s.index());
            }
        }
        if (placed.isEmpty()) {
            throw new ElfFormatException(rel.path() + ": the layout places none of its allocated sections"
                    + " (it names " + requested.keySet() + ")");
        }
    }

    private void checkOverlaps() {
        List<ElfSection> byAddress = new ArrayList<>();
        placed.stream().mapToObj(i -> rel.sections().get(i)).filter(s -> s.size() > 0).forEach(byAddress::add);
        byAddress.sort((a, b) -> Long.compareUnsigned(addresses[a.index()], addresses[b.index()]));
        for (int i = 0; i < byAddress.size(); i++) {
            ElfSection s = byAddress.get(i);
            long start = addresses[s.index()];
            long end = start + s.size();
            if (Long.compareUnsigned(end, start) < 0 && end != 0) {
                throw new ElfFormatException(rel.path() + ": section " + s.name() + " placed at 0x"
                        + Long.toHexString(start) + " runs past the top of the address space");
            }
            if (i + 1 < byAddress.size()) {
                ElfSection next = byAddress.get(i + 1);
                if (Long.compareUnsigned(end, addresses[next.index()]) > 0) {
                    throw new ElfFormatException(rel.path() + ": the layout's sections " + s.name() + " (0x"
                            + Long.toHexString(start) + "-0x" + Long.toHexString(end) + ") and " + next.name()
                            + " (0x" + Long.toHexString(addresses[next.index()]) + ") overlap");
                }
            }
        }
    }

    /** Lays out the unplaced allocated sections, then the stubs; returns the stub of each undefined symbol. */
    private long[] placeRest() {
        long cursor = 0;
        for (int i = placed.nextSetBit(0); i >= 0; i = placed.nextSetBit(i + 1)) {
            long end = addresses[i] + rel.sections().get(i).size();
            if (Long.compareUnsigned(end, cursor) > 0) {
                cursor = end;
            }
        }
        cursor = alignUp(cursor, PAGE);
        for (ElfSection s : rel.sections()) {
            if (s.isAllocated() && !placed.get(s.index())) {
                cursor = alignUp(cursor, s.alignment());
                addresses[s.index()] = cursor;
                cursor = advance(cursor, s.size());
            }
        }
        List<ElfSymbol> symbols = rel.symbols().all();
        long[] stubs = new long[symbols.size() + 1];
        cursor = alignUp(cursor, STUB_SIZE);
        for (int i = 0; i < symbols.size(); i++) {
            int shndx = symbols.get(i).sectionIndex();
            if (shndx == ElfSymbol.SHN_UNDEF || shndx == ElfSymbol.SHN_COMMON) {
                stubs[i + 1] = cursor;
                cursor = advance(cursor, STUB_SIZE);
            }
        }
        return stubs;
    }

    private long alignUp(long value, long alignment) {
        long aligned = (value + alignment - 1) & -alignment;
        if (Long.compareUnsigned(aligned, value) < 0) {
            throw noRoom();
        }
        return aligned;
    }

    private long advance(long cursor, long size) {
        long next = cursor + size;
        if (Long.compareUnsigned(next, cursor) < 0) {
            throw noRoom();
        }
        return next;
    }

    private ElfFormatException noRoom() {
        return new ElfFormatException(rel.path() + ": the layout leaves no room above its sections for the rest of"
                + " the object");
    }

    private void planRelocations(long[] stubs) {
        List<List<Integer>> relaOf = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            relaOf.add(new ArrayList<>(1));
        }
        for (ElfSection s : rel.sections()) {
            boolean rela = s.type() == ElfSection.SHT_RELA;
            if (!rela && s.type() != ElfSection.SHT_REL) {
                continue;
            }
            if (s.info() <= 0 || s.info() >= addresses.length) {
                throw new ElfFormatException(rel.path() + ": relocation section " + s.name() + " applies to section "
                        + s.info() + " of " + addresses.length);
            }
            ElfSection target = rel.sections().get(s.info());
            if (!needsRelocation(target)) {
                continue;
            }
            if (!rela) {
                throw new ElfFormatException(rel.path() + ": relocation section " + s.name()
                        + " is SHT_REL; x86-64 objects carry SHT_RELA");
            }
            if (s.link() != symbolTableIndex()) {
                throw new ElfFormatException(rel.path() + ": relocation section " + s.name() + " refers to symbol table "
                        + s.link() + ", not the object's .symtab (" + symbolTableIndex() + ")");
            }
            relaOf.get(target.index()).add(s.index());
        }
        for (int i = 0; i < addresses.length; i++) {
            List<Integer> list = relaOf.get(i);
            if (!list.isEmpty()) {
                fixups[i] = new RelocationFixup(list.stream().mapToInt(Integer::intValue).toArray(),
                        rel.sections().get(i).isAllocated(), stubs);
            }
        }
    }

    /** Debug (non-allocated) sections and executable ones: what the symbolizer and the branch scans read. */
    private static boolean needsRelocation(ElfSection target) {
        return (!target.isAllocated() && target.type() != ElfSection.SHT_NOBITS) || target.isExecutable();
    }

    private int symbolTableIndex() {
        for (ElfSection s : rel.sections()) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                return s.index();
            }
        }
        return -1;
    }
}
