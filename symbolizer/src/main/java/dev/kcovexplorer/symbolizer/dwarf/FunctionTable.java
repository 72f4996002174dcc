package dev.kcovexplorer.symbolizer.dwarf;

import dev.kcovexplorer.symbolizer.elf.AddressSearch;
import java.util.Arrays;

/**
 * The subprograms of one unit that own code, with their trees of {@code DW_TAG_inlined_subroutine}
 * DIEs, flattened in preorder into primitive arrays: node {@code n}'s subtree is nodes
 * {@code n+1 .. end(n)-1}. Lexical blocks are walked through but not kept; type DIEs and other
 * subtrees that cannot hold code are skipped with {@code DW_AT_sibling} when the producer gave one.
 * Subprograms are indexed by range for "which function contains this PC"; inside one, the inline
 * chain is found by descending into the child whose ranges contain the PC. Where a producer emitted
 * children outside their parent's ranges (strict DWARF 2 cannot express split ranges), the chain is
 * instead the last node in preorder that contains the PC plus its ancestors, as llvm-symbolizer does.
 */
final class FunctionTable {
    private static final byte SUBPROGRAM = 0;
    private static final byte INLINED = 1;

    private final Unit unit;
    private int nodeCount;
    /** The DIE that names the node: its abstract_origin / specification target, or itself. */
    private long[] nodeNameDie = new long[64];
    private int[] nodeEnd = new int[64];
    private int[] nodeParent = new int[64];
    /** Per subprogram node: its subtree has a child whose ranges leave its parent's. */
    private boolean[] improperlyNested = new boolean[64];
    private byte[] nodeKind = new byte[64];
    private int[] nodeCallFile = new int[64];
    private int[] nodeCallLine = new int[64];
    private int[] nodeCallColumn = new int[64];
    private int[] nodeRangeStart = new int[65];
    private int rangeCount;
    private long[] rangeLo = new long[64];
    private long[] rangeHi = new long[64];

    private long[] rootLo;
    private long[] rootHi;
    private long[] rootMaxHi;
    private int[] rootNode;

    private FunctionTable(Unit unit) {
        this.unit = unit;
    }

    static FunctionTable build(Unit unit) {
        FunctionTable t = new FunctionTable(unit);
        DwarfSection info = unit.sections.info;
        Cursor c = info.copyingCursor(unit.firstDie, unit.end);
        try {
            t.walk(c);
        } catch (IndexOutOfBoundsException e) {
            throw info.error(c.pos, "DIE of the unit at 0x" + Long.toHexString(unit.offset)
                    + " runs past the end of the section");
        }
        t.indexRoots();
        return t;
    }

    private void walk(Cursor c) {
        final Unit u = unit;
        final DwarfSection info = u.sections.info;
        final int end = (int) u.end;
        final RangeList scratch = new RangeList();
        // openNode[d]: the node opened by the DIE at depth d whose children we are reading, or -1.
        int[] openNode = new int[32];
        int depth = 0;
        while (c.pos < end) {
            int dieOffset = c.pos;
            int code = c.ulebInt();
            if (code == 0) {
                if (depth == 0) {
                    continue; // padding after the root DIE
                }
                depth--;
                int closed = openNode[depth];
                if (closed >= 0) {
                    nodeEnd[closed] = nodeCount;
                }
                if (depth == 0) {
                    return;
                }
                continue;
            }
            Abbrev a = u.abbrevs.get(code, dieOffset, info);
            int tag = a.tag;
            if (tag == Dw.TAG_SUBPROGRAM || tag == Dw.TAG_INLINED_SUBROUTINE) {
                int parent = -1;
                for (int d = depth - 1; d >= 0 && parent < 0; d--) {
                    parent = openNode[d];
                }
                int node = readSubroutine(c, a, dieOffset, scratch, tag == Dw.TAG_SUBPROGRAM ? SUBPROGRAM : INLINED,
                        parent);
                if (node < 0) {
                    if (a.hasChildren) {
                        skipChildren(c, a, end);
                    }
                    continue;
                }
                if (a.hasChildren) {
                    if (depth + 1 >= openNode.length) {
                        openNode = Arrays.copyOf(openNode, openNode.length * 2);
                    }
                    openNode[depth++] = node;
                } else {
                    nodeEnd[node] = nodeCount;
                }
            } else if (depth == 0 || isCodeContainer(tag)) {
                skipAttributes(c, a);
                if (a.hasChildren) {
                    if (depth + 1 >= openNode.length) {
                        openNode = Arrays.copyOf(openNode, openNode.length * 2);
                    }
                    openNode[depth++] = -1;
                }
            } else {
                long sibling = skipAttributesReadingSibling(c, a);
                if (a.hasChildren) {
                    if (sibling > dieOffset && sibling <= end) {
                        c.pos = (int) sibling;
                    } else {
                        skipChildren(c, a, end);
                    }
                }
            }
        }
        // A unit whose DIE tree is not closed by null entries: close what is open.
        while (depth > 0) {
            depth--;
            if (openNode[depth] >= 0) {
                nodeEnd[openNode[depth]] = nodeCount;
            }
        }
    }

    /** DIEs whose children may hold subprograms or inlined code. */
    private static boolean isCodeContainer(int tag) {
        switch (tag) {
            case Dw.TAG_LEXICAL_BLOCK:
            case Dw.TAG_NAMESPACE:
            case Dw.TAG_MODULE:
            case Dw.TAG_TRY_BLOCK:
            case Dw.TAG_CATCH_BLOCK:
            case Dw.TAG_ENTRY_POINT:
            case Dw.TAG_COMPILE_UNIT:
            case Dw.TAG_PARTIAL_UNIT:
                return true;
            default:
                return false;
        }
    }

    /** Reads a subprogram / inlined subroutine; returns its node, or -1 when it owns no code. */
    private int readSubroutine(Cursor c, Abbrev a, int dieOffset, RangeList scratch, byte kind, int parent) {
        final Unit u = unit;
        int lowForm = 0;
        long low = 0;
        int highForm = 0;
        long high = 0;
        int rangesForm = 0;
        long ranges = 0;
        int callFile = 0;
        int callLine = 0;
        int callColumn = 0;
        long origin = -1;
        int[] attrs = a.attributes;
        int[] forms = a.forms;
        int[] sizes = a.formSizes;
        for (int i = 0; i < attrs.length; i++) {
            int form = forms[i];
            switch (attrs[i]) {
                case Dw.AT_LOW_PC:
                    lowForm = form == Dw.FORM_INDIRECT ? Forms.indirectForm(c) : form;
                    low = u.readRaw(c, lowForm, a, i);
                    break;
                case Dw.AT_HIGH_PC:
                    highForm = form == Dw.FORM_INDIRECT ? Forms.indirectForm(c) : form;
                    high = u.readRaw(c, highForm, a, i);
                    break;
                case Dw.AT_RANGES:
                    rangesForm = form == Dw.FORM_INDIRECT ? Forms.indirectForm(c) : form;
                    ranges = u.readRaw(c, rangesForm, a, i);
                    break;
                case Dw.AT_CALL_FILE:
                    callFile = (int) u.readRaw(c, form, a, i);
                    break;
                case Dw.AT_CALL_LINE:
                    callLine = (int) u.readRaw(c, form, a, i);
                    break;
                case Dw.AT_CALL_COLUMN:
                    callColumn = (int) u.readRaw(c, form, a, i);
                    break;
                case Dw.AT_ABSTRACT_ORIGIN:
                case Dw.AT_SPECIFICATION: {
                    int f = form == Dw.FORM_INDIRECT ? Forms.indirectForm(c) : form;
                    long target = u.resolveReference(f, u.readRaw(c, f, a, i));
                    if (origin < 0 || attrs[i] == Dw.AT_ABSTRACT_ORIGIN) {
                        origin = target;
                    }
                    break;
                }
                default: {
                    int size = sizes[i];
                    if (size >= 0) {
                        c.pos += size;
                    } else {
                        Forms.skip(c, form, u.addressSize, u.offsetSize, u.version);
                    }
                }
            }
        }
        scratch.clear();
        if (rangesForm != 0) {
            u.readRanges(rangesForm, ranges, scratch);
        } else if (lowForm != 0 && highForm != 0) {
            long lo = u.resolveAddress(lowForm, low);
            long hi = Unit.isAddressForm(highForm) ? u.resolveAddress(highForm, high) : lo + high;
            u.addRange(scratch, lo, hi);
        }
        if (scratch.pairCount() == 0) {
            return -1;
        }
        int node = nodeCount++;
        if (node == nodeNameDie.length) {
            growNodes();
        }
        // Many inlined copies share one abstract origin: naming by it lets them share one name lookup.
        nodeNameDie[node] = a.hasName || origin < 0 ? dieOffset : origin;
        nodeKind[node] = kind;
        nodeCallFile[node] = callFile;
        nodeCallLine[node] = callLine;
        nodeCallColumn[node] = callColumn;
        nodeRangeStart[node] = rangeCount;
        for (int r = 0; r < scratch.pairCount(); r++) {
            if (rangeCount == rangeLo.length) {
                rangeLo = Arrays.copyOf(rangeLo, rangeCount * 2);
                rangeHi = Arrays.copyOf(rangeHi, rangeCount * 2);
            }
            rangeLo[rangeCount] = scratch.lo(r);
            rangeHi[rangeCount] = scratch.hi(r);
            rangeCount++;
        }
        nodeRangeStart[node + 1] = rangeCount;
        nodeParent[node] = parent;
        if (kind == INLINED && parent >= 0 && !rangesWithin(node, parent)) {
            int root = parent;
            while (nodeKind[root] != SUBPROGRAM && nodeParent[root] >= 0) {
                root = nodeParent[root];
            }
            improperlyNested[root] = true;
        }
        return node;
    }

    /** True when every range of {@code node} lies inside one range of {@code parent}. */
    private boolean rangesWithin(int node, int parent) {
        for (int r = nodeRangeStart[node]; r < nodeRangeStart[node + 1]; r++) {
            boolean inside = false;
            for (int q = nodeRangeStart[parent]; q < nodeRangeStart[parent + 1] && !inside; q++) {
                inside = Long.compareUnsigned(rangeLo[r], rangeLo[q]) >= 0
                        && Long.compareUnsigned(rangeHi[r], rangeHi[q]) <= 0;
            }
            if (!inside) {
                return false;
            }
        }
        return true;
    }

    private void growNodes() {
        int n = nodeNameDie.length * 2;
        nodeParent = Arrays.copyOf(nodeParent, n);
        improperlyNested = Arrays.copyOf(improperlyNested, n);
        nodeNameDie = Arrays.copyOf(nodeNameDie, n);
        nodeEnd = Arrays.copyOf(nodeEnd, n);
        nodeKind = Arrays.copyOf(nodeKind, n);
        nodeCallFile = Arrays.copyOf(nodeCallFile, n);
        nodeCallLine = Arrays.copyOf(nodeCallLine, n);
        nodeCallColumn = Arrays.copyOf(nodeCallColumn, n);
        nodeRangeStart = Arrays.copyOf(nodeRangeStart, n + 1);
    }

    private void skipAttributes(Cursor c, Abbrev a) {
        if (a.fixedSize >= 0) {
            c.pos += a.fixedSize;
            return;
        }
        int[] sizes = a.formSizes;
        int[] forms = a.forms;
        Unit u = unit;
        for (int i = 0; i < sizes.length; i++) {
            int size = sizes[i];
            if (size >= 0) {
                c.pos += size;
            } else {
                Forms.skip(c, forms[i], u.addressSize, u.offsetSize, u.version);
            }
        }
    }

    /** Skips a DIE's attributes; returns its {@code DW_AT_sibling} target as a section offset, or -1. */
    private long skipAttributesReadingSibling(Cursor c, Abbrev a) {
        int si = a.siblingIndex;
        if (si < 0 || !a.hasChildren) {
            skipAttributes(c, a);
            return -1;
        }
        int[] sizes = a.formSizes;
        int[] forms = a.forms;
        Unit u = unit;
        long sibling = -1;
        for (int i = 0; i < sizes.length; i++) {
            if (i == si) {
                int form = forms[i] == Dw.FORM_INDIRECT ? Forms.indirectForm(c) : forms[i];
                sibling = u.resolveReference(form, u.readRaw(c, form, a, i));
                continue;
            }
            int size = sizes[i];
            if (size >= 0) {
                c.pos += size;
            } else {
                Forms.skip(c, forms[i], u.addressSize, u.offsetSize, u.version);
            }
        }
        return sibling;
    }

    /** Skips the children of a DIE whose attributes were just read, up to and including their null entry. */
    private void skipChildren(Cursor c, Abbrev parent, int end) {
        int depth = 1;
        Unit u = unit;
        DwarfSection info = u.sections.info;
        while (depth > 0 && c.pos < end) {
            int dieOffset = c.pos;
            int code = c.ulebInt();
            if (code == 0) {
                depth--;
                continue;
            }
            Abbrev a = u.abbrevs.get(code, dieOffset, info);
            long sibling = skipAttributesReadingSibling(c, a);
            if (a.hasChildren) {
                if (sibling > dieOffset && sibling <= end) {
                    c.pos = (int) sibling;
                } else {
                    depth++;
                }
            }
        }
    }

    private void indexRoots() {
        int count = 0;
        for (int n = 0; n < nodeCount; n++) {
            if (nodeKind[n] == SUBPROGRAM) {
                count += nodeRangeStart[n + 1] - nodeRangeStart[n];
            }
        }
        long[] lo = new long[count];
        long[] hi = new long[count];
        int[] node = new int[count];
        int k = 0;
        for (int n = 0; n < nodeCount; n++) {
            if (nodeKind[n] == SUBPROGRAM) {
                for (int r = nodeRangeStart[n]; r < nodeRangeStart[n + 1]; r++) {
                    lo[k] = rangeLo[r];
                    hi[k] = rangeHi[r];
                    node[k] = n;
                    k++;
                }
            }
        }
        int[] order = SortIndex.byUnsigned(lo);
        rootLo = new long[count];
        rootHi = new long[count];
        rootNode = new int[count];
        rootMaxHi = new long[count];
        long max = 0;
        for (int i = 0; i < count; i++) {
            int o = order[i];
            rootLo[i] = lo[o];
            rootHi[i] = hi[o];
            rootNode[i] = node[o];
            if (i == 0 || Long.compareUnsigned(hi[o], max) > 0) {
                max = hi[o];
            }
            rootMaxHi[i] = max;
        }
    }

    /**
     * Writes the nodes of {@code pc}'s chain, outermost (the subprogram) first, into {@code chain};
     * returns how many, 0 when no subprogram of this unit owns {@code pc}.
     */
    int chain(long pc, int[] chain) {
        int lo = AddressSearch.upperBound(rootLo, 0, rootLo.length, pc);
        // Of the subprograms containing pc, the innermost (latest in preorder) wins, as a nested
        // function's code is its own.
        int best = -1;
        for (int i = lo - 1; i >= 0 && Long.compareUnsigned(rootMaxHi[i], pc) > 0; i--) {
            if (Long.compareUnsigned(pc, rootHi[i]) < 0 && rootNode[i] > best) {
                best = rootNode[i];
            }
        }
        if (best < 0) {
            return 0;
        }
        if (improperlyNested[best]) {
            return chainByPreorder(best, pc, chain);
        }
        int n = 0;
        chain[n++] = best;
        int current = best;
        while (n < chain.length) {
            int child = current + 1;
            int stop = nodeEnd[current];
            int found = -1;
            while (child < stop) {
                if (nodeKind[child] == INLINED && contains(child, pc)) {
                    found = child;
                    break;
                }
                child = nodeEnd[child];
            }
            if (found < 0) {
                break;
            }
            chain[n++] = found;
            current = found;
        }
        return n;
    }

    /** The last node of {@code root}'s subtree containing pc, then its ancestors up to root. */
    private int chainByPreorder(int root, long pc, int[] chain) {
        int innermost = root;
        for (int node = root + 1; node < nodeEnd[root]; node++) {
            if (nodeKind[node] == INLINED && contains(node, pc)) {
                innermost = node;
            }
        }
        int depth = 0;
        for (int node = innermost; node >= 0 && node != nodeParent[root]; node = nodeParent[node]) {
            depth++;
        }
        int n = Math.min(depth, chain.length);
        int i = depth - 1;
        for (int node = innermost; node >= 0 && node != nodeParent[root]; node = nodeParent[node], i--) {
            if (i < n) {
                chain[i] = node;
            }
        }
        return n;
    }

    private boolean contains(int node, long pc) {
        for (int r = nodeRangeStart[node]; r < nodeRangeStart[node + 1]; r++) {
            if (Long.compareUnsigned(pc - rangeLo[r], rangeHi[r] - rangeLo[r]) < 0) {
                return true;
            }
        }
        return false;
    }

    long die(int node) {
        return nodeNameDie[node];
    }

    int callFile(int node) {
        return nodeCallFile[node];
    }

    int callLine(int node) {
        return nodeCallLine[node];
    }

    int callColumn(int node) {
        return nodeCallColumn[node];
    }

    int nodeCount() {
        return nodeCount;
    }
}
