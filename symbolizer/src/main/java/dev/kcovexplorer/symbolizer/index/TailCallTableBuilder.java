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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Builds the {@link TailCallTable} of an image from its tail-call points, its symbol table and more
 * branch scans: for the tail jumps into tail-calling functions (one per depth of such jumps), and for the
 * direct calls of every function whose tail call lands in its caller's coverage. For the PC callback it
 * also finds the table's {@link TailCallLinks links} to other images: its global tail-calling functions,
 * and in a placed module the calls and tail jumps that land on the import stubs of other images' functions
 * (two more scans).
 */
public final class TailCallTableBuilder {
    private static final String COLD_SUFFIX = ".cold";
    /** The prefix of the symbol {@code EXPORT_SYMBOL(name)} leaves in vmlinux and in a module. */
    private static final String KSYMTAB = "__ksymtab_";

    private final ElfFile elf;
    private final SymbolTable symbols;
    private final BranchDecoder decoder;
    /** Function start → index into {@link #sites}: which tail sites a call of that function may record. */
    private final LongIntHashMap functionSlot = new LongIntHashMap(4096);
    private final List<LongArrayBuilder> sites = new ArrayList<>();
    private Map<String, List<ElfSymbol>> functionsByName;
    /** {@link #enterers()}, once asked for. */
    private Map<Long, ElfSymbol> enterers;

    private TailCallTableBuilder(ElfFile elf) {
        this.elf = elf;
        this.symbols = elf.symbols();
        this.decoder = BranchDecoder.forMachine(elf.machine(), elf.is64Bit());
    }

    /** The PC callback's table, with its links to other images. */
    public static TailCallTable build(ElfFile elf, CoveragePoints points) {
        return build(elf, points.tails(), true);
    }

    /** The table for any callback's tail-call sites (the comparison hooks'), without links. */
    public static TailCallTable build(ElfFile elf, long[] tailSites) {
        return build(elf, tailSites, false);
    }

    private static TailCallTable build(ElfFile elf, long[] tailSites, boolean withLinks) {
        if (tailSites.length == 0 && (!withLinks || elf.importStubs().isEmpty())) {
            return TailCallTable.EMPTY;
        }
        TailCallTableBuilder builder = new TailCallTableBuilder(elf);
        builder.assignTailSitesToFunctions(tailSites);
        builder.addTailJumpers();
        return builder.collectCallers(withLinks ? builder.links() : TailCallTable.Links.NONE);
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
     * The function a call enters to reach this site: a tail site, or a tail jump that records the caller as
     * well. GCC moves unlikely paths into a separate {@code foo.cold} symbol, entered only by jumps from
     * {@code foo}; callers call {@code foo}, so the site belongs to {@code foo} when that name is unambiguous
     * (the demo kernel's uninstrumented {@code sched_show_task} does all its work in its {@code .cold} part,
     * which ends in {@code jmp put_task_stack}), else to the one function that jumps into the part ({@link #enterers}).
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
        return parents.size() == 1 ? parents.get(0) : enterers().get(f.address());
    }

    /**
     * The parents of the {@code foo.cold} parts no one name gives (two static {@code foo}, so two {@code foo.cold}), by
     * part start: the one function that jumps into the part, by {@code jmp} or by the conditional jump that takes
     * {@code foo}'s unlikely path (GCC enters many parts only that way). A part entered by several functions, or by none
     * found, has no parent here. One more scan, only once a site or a jump lies in such a part: the demo kernel has 46
     * (e1000's static functions named as e1000e's, virtio_pci's legacy and modern setup_vq, ...), 40 entered only by a
     * conditional jump; its scan takes ~0.2 s and finds 45 parents.
     */
    private Map<Long, ElfSymbol> enterers() {
        if (enterers != null) {
            return enterers;
        }
        LongIntHashMap parts = new LongIntHashMap(16);
        for (ElfSymbol f : symbols.functions()) {
            int cold = f.name().indexOf(COLD_SUFFIX);
            if (cold > 0 && functionsNamed(f.name().substring(0, cold)).size() != 1) {
                parts.put(f.address(), 0);
            }
        }
        Map<Long, ElfSymbol> found = new HashMap<>();
        Set<Long> several = new HashSet<>();
        if (parts.size() > 0) {
            BranchVisitor entry = (site, target, call) -> {
                ElfSymbol from = symbols.functionContaining(site);
                if (!call && from != null && from.address() != target && from.name().indexOf(COLD_SUFFIX) <= 0) {
                    ElfSymbol before = found.putIfAbsent(target, from);
                    if (before != null && before.address() != from.address()) {
                        several.add(target);
                    }
                }
            };
            for (ElfSection section : elf.executableSections()) {
                decoder.decode(section.contents(), section.address(), parts, entry);
                decoder.decodeConditionalJumps(section.contents(), section.address(), parts, entry);
            }
            several.forEach(found::remove);
        }
        enterers = found;
        return found;
    }

    /**
     * The function a tail jump at {@code site} is credited to: {@link #owningFunction}'s, or the {@code foo.cold}
     * part itself when no parent is found (several functions jump into it, or none). The jump is not dropped: a
     * {@code jmp} into the part still leads to what the part jumps to.
     */
    private ElfSymbol jumpingFunction(long site) {
        ElfSymbol owner = owningFunction(site);
        return owner != null ? owner : symbols.functionContaining(site);
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

    /**
     * A function F that ends in {@code jmp G}, G reaching tail sites, records F's caller too: through G's own
     * sites, and through G's tail jumps any number deep (the kernel's {@code release_everything} jumps to
     * {@code scsi_host_put}, which jumps to {@code put_device}, whose tail call records the caller of
     * {@code release_everything}). One scan per depth, each for the jumps into the functions whose sites grew in
     * the scan before, until none grow: cycles of tail jumps end there too.
     */
    private void addTailJumpers() {
        LongIntHashMap grown = copyOf(functionSlot);
        while (grown.size() > 0) {
            List<long[]> jumps = new ArrayList<>();
            scan(grown, (site, target, call) -> {
                if (!call) {
                    ElfSymbol jumper = jumpingFunction(site);
                    if (jumper != null && jumper.address() != target) {
                        jumps.add(new long[] {jumper.address(), target});
                    }
                }
            });
            LongIntHashMap next = new LongIntHashMap(Math.max(16, jumps.size()));
            for (long[] jump : jumps) {
                if (addMissing(slotOf(jump[0]), sites.get(functionSlot.get(jump[1], -1)).toArray())) {
                    next.put(jump[0], 0);
                }
            }
            grown = next;
        }
    }

    /** Adds the sites {@code to} lacks; true when it lacked one. A function has a few sites: a scan is enough. */
    private static boolean addMissing(LongArrayBuilder to, long[] sites) {
        boolean added = false;
        for (long site : sites) {
            if (!to.contains(site)) {
                to.add(site);
                added = true;
            }
        }
        return added;
    }

    /** The exports (functions other images can call, with tail sites) and, in a placed module, the imports. */
    private TailCallTable.Links links() {
        Predicate<ElfSymbol> callableFromOutside = callableFromOtherImages();
        List<String> exportNames = new ArrayList<>();
        List<long[]> exportSites = new ArrayList<>();
        for (ElfSymbol f : symbols.functions()) {
            int slot = callableFromOutside.test(f) ? functionSlot.get(f.address(), -1) : -1;
            if (slot >= 0) {
                exportNames.add(f.name());
                exportSites.add(Arrays.stream(sites.get(slot).sorted()).distinct().toArray());
            }
        }
        int[] start = new int[exportNames.size() + 1];
        LongArrayBuilder all = new LongArrayBuilder();
        for (int i = 0; i < exportSites.size(); i++) {
            for (long site : exportSites.get(i)) {
                all.add(site);
            }
            start[i + 1] = all.size();
        }
        Map<Long, List<String>> jumpsOut = new HashMap<>();
        List<Map.Entry<Long, String>> imports = imports(jumpsOut);
        List<String> forwardNames = new ArrayList<>();
        List<String> forwardTargets = new ArrayList<>();
        for (ElfSymbol f : symbols.functions()) {
            List<String> targets = callableFromOutside.test(f) ? jumpsOut.get(f.address()) : null;
            if (targets != null) {
                for (String target : targets) {
                    forwardNames.add(f.name());
                    forwardTargets.add(target);
                }
            }
        }
        return new TailCallTable.Links(imports.stream().mapToLong(Map.Entry::getKey).toArray(),
                imports.stream().map(Map.Entry::getValue).toArray(String[]::new), exportNames.toArray(new String[0]),
                start, all.toArray(), forwardNames.toArray(new String[0]), forwardTargets.toArray(new String[0]));
    }

    /**
     * The functions another image can link against. The kernel links a module's undefined symbols only to what
     * vmlinux or another module exports ({@code EXPORT_SYMBOL} leaves a {@code __ksymtab_NAME} symbol), and two
     * images may well define globals of the same name: a module's non-exported helper named like a function
     * another module exports would otherwise take that one's calls. An image that is neither a kernel nor a
     * module (no {@code __ksymtab_} symbol, no {@code .modinfo}) links by its global functions.
     */
    private Predicate<ElfSymbol> callableFromOtherImages() {
        Set<String> exported = new HashSet<>();
        for (ElfSymbol s : symbols.all()) {
            if (s.name().startsWith(KSYMTAB)) {
                exported.add(s.name().substring(KSYMTAB.length()));
            }
        }
        if (exported.isEmpty() && elf.section(".modinfo") == null) {
            return f -> f.binding() != ElfSymbol.STB_LOCAL;
        }
        return f -> f.binding() != ElfSymbol.STB_LOCAL && exported.contains(f.name());
    }

    /**
     * Return addresses after calls that leave this placed module: of an import stub, or of one of the module's
     * functions that tail-jumps to one (which records its caller's return address too), by ascending address.
     * Fills {@code jumpsOut}: those functions by start, with the names they tail-jump to.
     */
    private List<Map.Entry<Long, String>> imports(Map<Long, List<String>> jumpsOut) {
        Map<Long, String> stubs = elf.importStubs();
        List<Map.Entry<Long, String>> imports = new ArrayList<>();
        if (stubs.isEmpty()) {
            return imports;
        }
        LongIntHashMap stubTargets = new LongIntHashMap(stubs.size());
        stubs.forEach((stub, name) -> {
            if (mayTailCallCoverage(name)) {
                stubTargets.put(stub, 0);
            }
        });
        int callLength = decoder.callLength();
        scan(stubTargets, (site, target, call) -> {
            if (call) {
                imports.add(Map.entry(site + callLength, stubs.get(target)));
            } else {
                ElfSymbol jumper = jumpingFunction(site);
                if (jumper != null) {
                    jumpsOut.computeIfAbsent(jumper.address(), k -> new ArrayList<>(1)).add(stubs.get(target));
                }
            }
        });
        if (!jumpsOut.isEmpty()) {
            LongIntHashMap jumpers = new LongIntHashMap(jumpsOut.size());
            jumpsOut.keySet().forEach(start -> jumpers.put(start, 0));
            scan(jumpers, (site, target, call) -> {
                if (call) {
                    for (String name : jumpsOut.get(target)) {
                        imports.add(Map.entry(site + callLength, name));
                    }
                }
            });
        }
        imports.sort(Map.Entry.comparingByKey());
        return imports;
    }

    /**
     * False for the imports no tail-called coverage comes through, which every module calls thousands of times:
     * the coverage callbacks themselves, ftrace's entry hook, and the x86 return and retpoline thunks (with
     * return thunks every {@code ret} of a module is {@code jmp __x86_return_thunk}).
     */
    private static boolean mayTailCallCoverage(String name) {
        return !name.startsWith("__sanitizer_cov_") && !name.startsWith("__x86_") && !name.equals("__fentry__");
    }

    private TailCallTable collectCallers(TailCallTable.Links links) {
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
        return new TailCallTable(returns, start, candidates.toArray(), links);
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
