package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.cmp.ComparisonSummarizer;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;

/**
 * A run as it enters a session: its PCs and what is known about where they came from.
 *
 * @param label        the name users and expressions refer to ("usb-keyboard")
 * @param colour       "#rrggbb", or null to take the next palette colour
 * @param remoteSource where remote coverage came from ("USB bus 1", "common 0x42", "local task"), or null
 * @param mode         "pc" or "cmp"
 * @param sourceFile   the dump's file name, or null
 * @param entries      trace length (PCs or CMP records) of the dump
 * @param overflow     the kernel's area filled up and later coverage was dropped
 * @param uniquePcs    sorted unique PCs
 * @param hitCounts    trace occurrences per unique PC, or null (each counts once)
 * @param reading      what the reader knows of the PCs; null or UNKNOWN (text lists) lets attribution decide
 * @param comparisons  a CMP run's records summarized per ip (its uniquePcs), or null
 * @param layout       where the boot that recorded the run had its modules, or null when unknown; once the
 *                     run is in a session its PCs in modules are at the session's addresses for them
 *                     ({@link ModuleRuns}), and this is kept to say where they were recorded
 */
public record RunInput(String label, String colour, String remoteSource, String mode, String sourceFile,
                       long entries, boolean overflow, long[] uniquePcs, int[] hitCounts, PcKind reading,
                       ComparisonSummary comparisons, ModuleLayout layout) {

    /** A run without a module layout. */
    public RunInput(String label, String colour, String remoteSource, String mode, String sourceFile, long entries,
                    boolean overflow, long[] uniquePcs, int[] hitCounts, PcKind reading,
                    ComparisonSummary comparisons) {
        this(label, colour, remoteSource, mode, sourceFile, entries, overflow, uniquePcs, hitCounts, reading,
                comparisons, null);
    }

    /** A run without comparison values. */
    public RunInput(String label, String colour, String remoteSource, String mode, String sourceFile, long entries,
                    boolean overflow, long[] uniquePcs, int[] hitCounts, PcKind reading) {
        this(label, colour, remoteSource, mode, sourceFile, entries, overflow, uniquePcs, hitCounts, reading, null,
                null);
    }

    public RunInput {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a run needs a label");
        }
        if (colour != null && !colour.matches("#[0-9a-fA-F]{6}")) {
            // it ends up in a style sheet: anything but a colour would be style injected into the window
            throw new IllegalArgumentException("run '" + label + "': colour '" + colour + "' is not #rrggbb");
        }
        if (hitCounts != null && hitCounts.length != uniquePcs.length) {
            throw new IllegalArgumentException("run '" + label + "': " + hitCounts.length + " hit counts for "
                    + uniquePcs.length + " PCs");
        }
        for (int i = 1; i < uniquePcs.length; i++) {
            if (uniquePcs[i - 1] >= uniquePcs[i]) {
                throw new IllegalArgumentException("run '" + label + "': PCs are not sorted and unique at entry " + i);
            }
        }
        if (comparisons != null && !java.util.Arrays.equals(comparisons.ips(), uniquePcs)) {
            throw new IllegalArgumentException("run '" + label + "': the comparison summary covers other ips than"
                    + " the run's " + uniquePcs.length);
        }
    }

    /** The same run with its PCs (and a CMP run's ips) replaced, and the layout they were recorded under. */
    public RunInput withPcs(long[] sortedUniquePcs, int[] counts, ComparisonSummary summary, ModuleLayout recordedUnder) {
        return new RunInput(label, colour, remoteSource, mode, sourceFile, entries, overflow, sortedUniquePcs, counts,
                reading, summary, recordedUnder);
    }

    /** A TRACE_CMP run: its PCs are the ips of comparison records. */
    public boolean isComparisonMode() {
        return TraceMode.CMP.id().equals(mode);
    }

    /** A run read by the kcov module's {@code DumpReader}; remoteSource may be null. */
    public static RunInput of(String label, CoverageRun run, String remoteSource) {
        return of(label, run, remoteSource, ComparisonSummary.DEFAULT_TOP);
    }

    /** {@link #of(String, CoverageRun, String)} keeping the {@code top} most frequent pairs per comparison ip. */
    public static RunInput of(String label, CoverageRun run, String remoteSource, int top) {
        return new RunInput(label, null, remoteSource, run.mode().id(),
                run.source() == null ? null : run.source().getFileName().toString(), run.entries(), run.overflowed(),
                run.uniquePcs(), run.hitCounts(), run.pcKind(),
                run.mode() == TraceMode.CMP ? ComparisonSummarizer.summarize(run.cmp(), top) : null);
    }

    /** A run from a bare PC set (a text list, a composition result). */
    public static RunInput ofPcs(String label, long[] sortedUniquePcs, PcKind reading) {
        return new RunInput(label, null, null, "pc", null, sortedUniquePcs.length, false, sortedUniquePcs, null,
                reading);
    }
}
