package dev.kcovexplorer.symbolizer.dwarf;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link Abbrev} per distinct declaration (tag, children, attribute/form pairs, implicit constants,
 * encoding): each unit of a kernel has its own abbreviation table, and kept apart their ~380k
 * declarations (three arrays each) were 80 MB that lived as long as the reader. Thread-safe.
 */
final class AbbrevInterner {
    private final Map<Integer, Abbrev[]> byHash = new HashMap<>();

    /**
     * The declaration with the first {@code n} entries of {@code attributes}, {@code forms} and
     * {@code implicitConsts} (null when it has none); the arrays are the caller's scratch and are copied.
     */
    synchronized Abbrev intern(int tag, boolean children, int[] attributes, int[] forms, long[] implicitConsts, int n,
                               int addressSize, int offsetSize, int version) {
        int hash = tag * 31 + (children ? 1 : 0);
        hash = hash * 31 + (addressSize << 16 | offsetSize << 8 | version);
        for (int i = 0; i < n; i++) {
            hash = hash * 31 + attributes[i];
            hash = hash * 31 + forms[i];
            if (implicitConsts != null) {
                hash = hash * 31 + Long.hashCode(implicitConsts[i]);
            }
        }
        Abbrev[] candidates = byHash.get(hash);
        if (candidates != null) {
            for (Abbrev a : candidates) {
                if (a.tag == tag && a.hasChildren == children && a.addressSize == addressSize
                        && a.offsetSize == offsetSize && a.version == version
                        && Arrays.equals(a.attributes, 0, a.attributes.length, attributes, 0, n)
                        && Arrays.equals(a.forms, 0, a.forms.length, forms, 0, n)
                        && (implicitConsts == null ? a.implicitConsts == null : a.implicitConsts != null
                        && Arrays.equals(a.implicitConsts, 0, a.implicitConsts.length, implicitConsts, 0, n))) {
                    return a;
                }
            }
        }
        Abbrev created = new Abbrev(tag, children, Arrays.copyOf(attributes, n), Arrays.copyOf(forms, n),
                implicitConsts == null ? null : Arrays.copyOf(implicitConsts, n), addressSize, offsetSize, version);
        byHash.put(hash, candidates == null ? new Abbrev[] {created} : append(candidates, created));
        return created;
    }

    private static Abbrev[] append(Abbrev[] candidates, Abbrev a) {
        Abbrev[] more = Arrays.copyOf(candidates, candidates.length + 1);
        more[candidates.length] = a;
        return more;
    }
}
