package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.cmp.ComparisonConstant;
import dev.kcovexplorer.app.model.cmp.ComparisonPair;
import dev.kcovexplorer.symbolizer.points.ComparisonType;

import java.util.List;

/**
 * One comparison site of a CMP run as people read it: where it is (the call instruction's address and
 * its innermost frame), what it is, and what the run compared there.
 *
 * @param site          the site's index in the comparison-site index
 * @param address       the address of the call (or tail call) of the hook
 * @param file          the innermost frame's file, relative like the coverage layout's paths (null: no line info)
 * @param line          the innermost frame's line (0: none)
 * @param size          operand size in bytes, {@link ComparisonType#UNKNOWN_SIZE} for an unreached switch
 * @param candidate     reached, if at all, only as one of several tail-call candidates
 * @param values        false when the run kept no operand values (a live run's records-only summary)
 * @param distinctExact false when {@code distinct} is an upper bound (see {@link ComparisonCoverage#distinctExact})
 * @param pairs         the most frequent pairs, most frequent first
 * @param morePairs     distinct pairs beyond {@code pairs}
 * @param constants     a const or switch site's constants with the records equal to each
 */
public record ComparisonSite(int site, long address, String function, String file, int line,
                             ComparisonType.Kind kind, int size, boolean tailCall, boolean candidate, long records,
                             boolean values, int distinct, boolean distinctExact, List<ComparisonPair> pairs,
                             int morePairs, List<ComparisonConstant> constants) {

    public boolean reached() {
        return records > 0;
    }

    /** Constants the variable operand never equalled: what a fuzzer has yet to find. */
    public List<ComparisonConstant> missedConstants() {
        return constants.stream().filter(ComparisonConstant::neverEqual).toList();
    }

    /** "file:line", or the address when the site has no line. */
    public String location() {
        return file == null ? "0x" + Long.toHexString(address) : file + ":" + line;
    }
}
