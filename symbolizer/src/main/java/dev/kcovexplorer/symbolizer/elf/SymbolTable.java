package dev.kcovexplorer.symbolizer.elf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .symtab} of an ELF file: every symbol in file order, plus the defined functions sorted
 * by address for "which function contains this PC" lookups.
 */
public final class SymbolTable {
    /** How far back a lookup walks to find an enclosing function when the nearest one ends early. */
    private static final int MAX_ENCLOSING_WALK = 16;

    private final List<ElfSymbol> all;
    private final ElfSymbol[] functions;
    private final long[] functionStarts;
    /** Where each function ends; a function of size 0 reaches to the next function's start. */
    private final long[] functionEnds;
    private volatile Map<String, ElfSymbol> byName;
    private volatile NearestSymbols nearest;

    /**
     * @param sectionEnds per section index, the address where that section ends (0 when unknown):
     *                    the end of a size-0 function that no other function follows
     */
    SymbolTable(List<ElfSymbol> symbols, long[] sectionEnds) {
        this.all = Collections.unmodifiableList(symbols);
        List<ElfSymbol> funcs = new ArrayList<>();
        for (int i = symbols.size() - 1; i >= 0; i--) {
            ElfSymbol s = symbols.get(i);
            if (s.isFunction() && s.isDefined()) {
                funcs.add(s);
            }
        }
        // At equal addresses the preferred name comes first: the larger size (an alias of size 0 must
        // not hide the real extent), then the later one in the table (which llvm-symbolizer reports for
        // aliases such as __ia32_sys_fork / __x64_sys_fork). funcs is in reverse table order and the
        // sort is stable.
        funcs.sort((a, b) -> {
            int byAddress = Long.compareUnsigned(a.address(), b.address());
            return byAddress != 0 ? byAddress : Long.compareUnsigned(b.size(), a.size());
        });
        this.functions = funcs.toArray(new ElfSymbol[0]);
        this.functionStarts = new long[functions.length];
        for (int i = 0; i < functions.length; i++) {
            functionStarts[i] = functions[i].address();
        }
        this.functionEnds = new long[functions.length];
        for (int i = functions.length - 1; i >= 0; i--) {
            ElfSymbol f = functions[i];
            long end = f.address() + f.size();
            if (f.size() == 0) {
                // Hand-written assembly and crt files often leave sizes out: such a function extends to
                // the next one, as llvm-symbolizer assumes; the last one reaches to the end of its section.
                end = f.address();
                int next = i + 1;
                while (next < functions.length && functionStarts[next] == f.address()) {
                    next++;
                }
                int section = f.sectionIndex();
                if (next < functions.length) {
                    end = functionStarts[next];
                } else if (section > 0 && section < sectionEnds.length
                        && Long.compareUnsigned(sectionEnds[section], f.address()) > 0) {
                    end = sectionEnds[section];
                }
            }
            functionEnds[i] = end;
        }
    }

    static SymbolTable empty() {
        return new SymbolTable(List.of(), new long[0]);
    }

    private static int bindingRank(int binding) {
        switch (binding) {
            case ElfSymbol.STB_GLOBAL:
                return 0;
            case ElfSymbol.STB_WEAK:
                return 1;
            default:
                return 2;
        }
    }

    /** Every symbol in file order (index 0, the null symbol, is left out). */
    public List<ElfSymbol> all() {
        return all;
    }

    /** Defined {@code STT_FUNC} symbols sorted by address (preferred alias first at equal addresses). */
    public List<ElfSymbol> functions() {
        return Collections.unmodifiableList(Arrays.asList(functions));
    }

    /**
     * The function whose {@code [address, address + size)} contains {@code pc}, or {@code null}. A
     * function of size 0 extends to the start of the next function (the last one to the end of its
     * section).
     */
    public ElfSymbol functionContaining(long pc) {
        int i = upperBound(pc) - 1;
        if (i < 0) {
            return null;
        }
        long start = functionStarts[i];
        int first = i;
        while (first > 0 && functionStarts[first - 1] == start) {
            first--;
        }
        for (int j = first; j <= i; j++) {
            if (contains(j, pc)) {
                return functions[j];
            }
        }
        // A nested or overlapping symbol ended before pc: an enclosing one may start a little earlier.
        for (int j = first - 1; j >= 0 && j >= first - MAX_ENCLOSING_WALK; j--) {
            if (contains(j, pc)) {
                return functions[j];
            }
        }
        return null;
    }

    /**
     * Of {@code ascending} addresses, those a function contains, as {@link #functionContaining} sees functions, with
     * an enclosing one however far back: one walk along the functions instead of a search per address.
     */
    public long[] insideFunctions(long[] ascending) {
        long[] inside = new long[ascending.length];
        int n = 0;
        int next = 0;
        // Of the functions starting at or below the address: the last start, and the furthest end.
        long lastStart = 0;
        long reach = 0;
        for (long address : ascending) {
            while (next < functionStarts.length && Long.compareUnsigned(functionStarts[next], address) <= 0) {
                if (Long.compareUnsigned(functionEnds[next], reach) > 0) {
                    reach = functionEnds[next];
                }
                lastStart = functionStarts[next++];
            }
            if (next > 0 && (address == lastStart || Long.compareUnsigned(address, reach) < 0)) {
                inside[n++] = address;
            }
        }
        return Arrays.copyOf(inside, n);
    }

    private boolean contains(int j, long pc) {
        long start = functionStarts[j];
        return pc == start || Long.compareUnsigned(pc - start, functionEnds[j] - start) < 0;
    }

    /** Index of the first function starting above {@code pc} (unsigned order). */
    private int upperBound(long pc) {
        return AddressSearch.upperBound(functionStarts, 0, functionStarts.length, pc);
    }

    /**
     * The symbol llvm-symbolizer names {@code address} after when DWARF has no name for it: of the
     * defined function, object and untyped symbols (assembly entry points are untyped), the last one
     * at or below the address, unless it has a size that ends before the address. Of several symbols
     * at one address the largest wins, and of equal sizes the later one in the table. {@code null}
     * when there is none.
     */
    public ElfSymbol symbolFor(long address) {
        NearestSymbols n = nearest;
        if (n == null) {
            n = new NearestSymbols(all);
            nearest = n;
        }
        return n.symbolFor(address);
    }

    /**
     * The defined symbol called {@code name} (a global one when several share the name), falling back
     * to an undefined one, or {@code null}.
     */
    public ElfSymbol lookup(String name) {
        Map<String, ElfSymbol> map = byName;
        if (map == null) {
            map = new HashMap<>(all.size() * 2);
            for (ElfSymbol s : all) {
                ElfSymbol old = map.get(s.name());
                if (old == null || better(s, old)) {
                    map.put(s.name(), s);
                }
            }
            byName = map;
        }
        return map.get(name);
    }

    private static boolean better(ElfSymbol candidate, ElfSymbol current) {
        if (candidate.isDefined() != current.isDefined()) {
            return candidate.isDefined();
        }
        return bindingRank(candidate.binding()) < bindingRank(current.binding());
    }
}
