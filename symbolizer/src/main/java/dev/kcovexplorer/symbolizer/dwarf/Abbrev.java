package dev.kcovexplorer.symbolizer.dwarf;

/**
 * One abbreviation declaration: the tag, whether children follow, and the attribute/form pairs.
 * {@link #fixedSize} is the byte size of a DIE using it when every form has a fixed size for the
 * unit's encoding (so a DIE we do not care about is skipped with one addition), else -1. Its code is
 * the table's business ({@link AbbrevTable}): equal declarations of different units and codes are one
 * object ({@link AbbrevInterner}).
 */
final class Abbrev {
    final int tag;
    final boolean hasChildren;
    final int[] attributes;
    final int[] forms;
    final long[] implicitConsts;
    /** Fixed byte size per attribute for this encoding, -1 when it varies. */
    final int[] formSizes;
    final int fixedSize;
    /** Index of DW_AT_sibling in {@link #attributes}, or -1. */
    final int siblingIndex;
    /** The DIE names itself (DW_AT_name), so its abstract_origin / specification need not be followed. */
    final boolean hasName;
    /** The unit encoding {@link #formSizes} are for. */
    final int addressSize;
    final int offsetSize;
    final int version;

    Abbrev(int tag, boolean hasChildren, int[] attributes, int[] forms, long[] implicitConsts,
           int addressSize, int offsetSize, int version) {
        this.tag = tag;
        this.hasChildren = hasChildren;
        this.attributes = attributes;
        this.forms = forms;
        this.implicitConsts = implicitConsts;
        this.addressSize = addressSize;
        this.offsetSize = offsetSize;
        this.version = version;
        this.formSizes = new int[forms.length];
        int total = 0;
        int sibling = -1;
        for (int i = 0; i < forms.length; i++) {
            int size = Forms.fixedSize(forms[i], addressSize, offsetSize, version);
            formSizes[i] = size;
            if (size < 0 || total < 0) {
                total = -1;
            } else {
                total += size;
            }
            if (attributes[i] == Dw.AT_SIBLING) {
                sibling = i;
            }
        }
        this.fixedSize = total;
        this.siblingIndex = sibling;
        this.hasName = has(Dw.AT_NAME);
    }

    /** True when the DIE has attribute {@code at}. */
    boolean has(int at) {
        for (int a : attributes) {
            if (a == at) {
                return true;
            }
        }
        return false;
    }
}
