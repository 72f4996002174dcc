package dev.kcovexplorer.symbolizer.elf;

import java.util.ArrayList;
import java.util.List;

/** The address-to-symbol rule of llvm-symbolizer's symbol table fallback (see {@link SymbolTable#symbolFor}). */
final class NearestSymbols {
    private static final int STT_GNU_IFUNC = 10;
    private static final int SHN_LORESERVE = 0xff00;

    private final long[] starts;
    private final ElfSymbol[] symbols;

    NearestSymbols(List<ElfSymbol> all) {
        List<ElfSymbol> candidates = new ArrayList<>();
        for (ElfSymbol s : all) {
            int type = s.type();
            boolean named = type == ElfSymbol.STT_FUNC || type == ElfSymbol.STT_OBJECT
                    || type == ElfSymbol.STT_NOTYPE || type == STT_GNU_IFUNC;
            // Undefined, absolute and common symbols name no code; ARM mapping symbols ($a, $d, $t, $x)
            // only mark instruction sets.
            if (named && s.isDefined() && s.sectionIndex() < SHN_LORESERVE && !s.name().isEmpty()
                    && !s.name().startsWith("$")) {
                candidates.add(s);
            }
        }
        candidates.sort((a, b) -> {
            int byAddress = Long.compareUnsigned(a.address(), b.address());
            return byAddress != 0 ? byAddress : Long.compareUnsigned(a.size(), b.size());
        });
        // One symbol per address: the last of each group (largest size, then latest in the table).
        List<ElfSymbol> kept = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (i + 1 == candidates.size() || candidates.get(i + 1).address() != candidates.get(i).address()) {
                kept.add(candidates.get(i));
            }
        }
        this.symbols = kept.toArray(new ElfSymbol[0]);
        this.starts = new long[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            starts[i] = symbols[i].address();
        }
    }

    ElfSymbol symbolFor(long address) {
        int lo = AddressSearch.upperBound(starts, 0, starts.length, address);
        if (lo == 0) {
            return null;
        }
        ElfSymbol s = symbols[lo - 1];
        return s.size() == 0 || s.contains(address) ? s : null;
    }
}
