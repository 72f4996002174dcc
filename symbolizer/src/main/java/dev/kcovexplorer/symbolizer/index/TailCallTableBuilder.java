package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import dev.kcovexplorer.symbolizer.elf.SymbolTable;
import dev.kcovexplorer.symbolizer.points.BranchDecoder;
import dev.kcovexplorer.symbolizer.points.BranchVisitor;
import dev.kcovexplorer.symbolizer.points.CoveragePoints;
import dev.kcovexplorer.symbolizer.points.LongArrayBuilder;
import dev.kcovexplorer.symbolizer.points.LongIntHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link TailCallTable} of an image from its tail-call points, its symbol table and two
 * more branch scans: one for the tail jumps into tail-calling functions, one for the direct calls of
 * every function whose tail call lands in its caller's coverage.
 */
public final class TailCallTableBuilder {
    private static final String COLD_SUFFIX = ".cold";

    private final ElfFile elf;
    private final SymbolTable symbols;
    private final BranchDecoder decoder;
    /** Function start → index into {@link #sites}: which tail sites a call of that function may record. */
    private final LongIntHashMap functionSlot = new LongIntHashMap(4096);
    private final List<LongArrayBuilder> sites = new ArrayList<>();
    private Map<String, List<ElfSymbol>> functionsByName;

    private TailCallTableBuilder(ElfFile elf) {
        this.elf = elf;
        this.symbols = elf.symbols();
        this.decoder = BranchDecoder.forMachine(elf.machine(), elf.is64Bit());
    }

    public static TailCallTable build(ElfFile elf, CoveragePoints points) {
        return build(elf, points.tails());
    }

    /** The table for any callback's tail-call sites (the PC callback's, or the comparison hooks'). */
    public static TailCallTable build(ElfFile elf, long[] tailSites) {
        if (tailSites.length == 0) {
            return new TailCallTable(new long[0], new int[] {0}, new long[0]);
        }
        TailCallTableBuilder builder = new TailCallTableBuilder(elf);
        builder.assignTailSitesToFunctions(tailSites);
        builder.addTailJumpers();
        return builder.collectCallers();
    }

    private void assignTailSitesToFunctions(long[] tails) {
        for (long site : tails) {
            ElfSymbol owner = owningFunction(site);
            if (owner != null) {
                slotOf(owner.address()).add(site);
            }
        }
    }

    /**
     * The function a call enters to reach this tail site. GCC moves unlikely paths into a separate
     * {@code foo.cold} symbol; callers call {@code foo}, so the site belongs to {@code foo} when that
     * name is unambiguous.
     */
    private ElfSymbol owningFunction(long site) {
        ElfSymbol f = symbols.functionContaining(site);
        if (f == null) {
            return null;
        }
        int cold = f.name().indexOf(COLD_SUFFIX);
        if (cold <= 0) {
            return f;
        }
        List<ElfSymbol> parents = functionsNamed(f.name().substring(0, cold));
        return parents.size() == 1 ? parents.get(0) : null;
    }

    private List<ElfSymbol> functionsNamed(String name) {
        if (functionsByName == null) {
            functionsByName = new HashMap<>();
            for (ElfSymbol s : symbols.functions()) {
                functionsByName.computeIfAbsent(s.name(), k -> new ArrayList<>(1)).add(s);
            }
        }
        return functionsByName.getOrDefault(name, List.of());
    }

    private LongArrayBuilder slotOf(long functionStart) {
        int slot = functionSlot.get(functionStart, -1);
        if (slot < 0) {
            slot = sites.size();
            sites.add(new LongArrayBuilder(2));
            functionSlot.put(functionStart, slot);
        }
        return sites.get(slot);
    }

    /** A function F that ends in {@code jmp G}, G tail-calling the callback, records F's caller too. */
    private void addTailJumpers() {
        LongIntHashMap tailCallers = copyOf(functionSlot);
        // Snapshot the direct sites so a jumper into a jumper does not go two levels deep.
        long[][] directSites = new long[sites.size()][];
        for (int i = 0; i < directSites.length; i++) {
            directSites[i] = sites.get(i).toArray();
        }
        List<long[]> jumps = new ArrayList<>();
        scan(tailCallers, (site, target, call) -> {
            if (!call) {
                ElfSymbol jumper = symbols.functionContaining(site);
                if (jumper != null && jumper.address() != target) {
                    jumps.add(new long[] {jumper.address(), target});
                }
            }
        });
        for (long[] jump : jumps) {
            long[] targetSites = directSites[tailCallers.get(jump[1], -1)];
            LongArrayBuilder jumperSites = slotOf(jump[0]);
            for (long s : targetSites) {
                jumperSites.add(s);
            }
        }
    }

    private TailCallTable collectCallers() {
        Map<Long, long[]> candidatesByReturn = new HashMap<>();
        long[][] candidatesBySlot = new long[sites.size()][];
        for (int i = 0; i < candidatesBySlot.length; i++) {
            candidatesBySlot[i] = Arrays.stream(sites.get(i).sorted()).distinct().toArray();
        }
        int callLength = decoder.callLength();
        scan(functionSlot, (site, target, call) -> {
            if (call) {
                candidatesByReturn.put(site + callLength, candidatesBySlot[functionSlot.get(target, -1)]);
            }
        });
        long[] returns = candidatesByReturn.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        int[] start = new int[returns.length + 1];
        LongArrayBuilder candidates = new LongArrayBuilder();
        for (int i = 0; i < returns.length; i++) {
            for (long c : candidatesByReturn.get(returns[i])) {
                candidates.add(c);
            }
            start[i + 1] = candidates.size();
        }
        return new TailCallTable(returns, start, candidates.toArray());
    }

    private void scan(LongIntHashMap targets, BranchVisitor visitor) {
        for (ElfSection section : elf.executableSections()) {
            decoder.decode(section.contents(), section.address(), targets, visitor);
        }
    }

    private static LongIntHashMap copyOf(LongIntHashMap map) {
        LongIntHashMap copy = new LongIntHashMap(map.size());
        for (long key : map.sortedKeys()) {
            copy.put(key, map.get(key, -1));
        }
        return copy;
    }
}
