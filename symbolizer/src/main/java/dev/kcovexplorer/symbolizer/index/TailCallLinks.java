package dev.kcovexplorer.symbolizer.index;

import java.util.Objects;

/**
 * The tail-call table's links to other images. A module calls the kernel's (and other modules') exported
 * functions by name; when such a function tail-calls the PC callback, kcov records a return address in the
 * module while the tail-call site is in the other image, so neither image's own table can attribute it.
 * {@link KernelIndexMerger} joins one image's imports to another's exports.
 *
 * <p>Imports: return addresses in this image (ascending; one address may repeat with another name) that
 * follow a direct call of a function the image does not define, or of one of its own functions that
 * tail-jumps to such a function, with that function's name. Exports: the functions of this image that other
 * images can call (in a kernel or a module the ones it exports, elsewhere its global functions) and that
 * tail-call the callback (themselves or through one tail jump), with their tail-call sites
 * {@code exportCandidates[exportCandidateStart[i] .. exportCandidateStart[i+1]-1]} as point indices.
 * Forwards: those of its callable functions that tail-jump to a function it does not define
 * ({@code forwardNames[i]} to {@code forwardTargets[i]}; a name may repeat), so that a call of one from a
 * third image lands where the target's tail calls are (a module's wrapper of a kernel function).
 */
public record TailCallLinks(long[] importReturns, String[] importNames, String[] exportNames,
                            int[] exportCandidateStart, int[] exportCandidates, String[] forwardNames,
                            String[] forwardTargets) {
    public static final TailCallLinks NONE = new TailCallLinks(new long[0], new String[0], new String[0], new int[] {0},
            new int[0], new String[0], new String[0]);

    public TailCallLinks {
        if (importNames.length != importReturns.length || exportCandidateStart.length != exportNames.length + 1
                || forwardTargets.length != forwardNames.length) {
            throw new IllegalArgumentException("inconsistent tail-call link arrays");
        }
        for (int i = 0; i < importReturns.length; i++) {
            Objects.requireNonNull(importNames[i]);
            if (i > 0 && importReturns[i] < importReturns[i - 1]) {
                throw new IllegalArgumentException("tail-call imports are not sorted at " + i);
            }
        }
        for (int i = 0; i < exportNames.length; i++) {
            Objects.requireNonNull(exportNames[i]);
            if (exportCandidateStart[i] > exportCandidateStart[i + 1]) {
                throw new IllegalArgumentException("tail-call export candidate starts descend at " + i);
            }
        }
        if (exportCandidateStart[0] != 0 || exportCandidateStart[exportNames.length] != exportCandidates.length) {
            throw new IllegalArgumentException("tail-call export candidates do not span their array");
        }
    }

    public int forwardCount() {
        return forwardNames.length;
    }

    public int importCount() {
        return importReturns.length;
    }

    public int exportCount() {
        return exportNames.length;
    }

    /** The points export {@code i}'s function may tail-call the callback at. */
    public int[] exportCandidates(int i) {
        return java.util.Arrays.copyOfRange(exportCandidates, exportCandidateStart[i], exportCandidateStart[i + 1]);
    }
}
