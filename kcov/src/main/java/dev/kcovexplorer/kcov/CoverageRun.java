package dev.kcovexplorer.kcov;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One coverage run: where it came from, how it was encoded, the ordered trace (for playback), and
 * the sorted unique PCs with hit counts the coverage model works on. PC order is Java's signed
 * {@code long} order ({@link java.util.Arrays#sort(long[])}, {@link java.util.Arrays#binarySearch(long[], long)}),
 * which is also address order among kernel addresses since they all sit in the upper half.
 *
 * <p>Arrays are shared, not copied: callers must not modify what the accessors return.
 */
public final class CoverageRun {
    private final Path source;
    private final DumpFormat format;
    private final boolean gzipped;
    private final int wordSize;
    private final TraceMode mode;
    private final PcKind pcKind;
    private final boolean overflowed;
    private final long declaredCount;
    private final long[] trace;
    private final long[] uniquePcs;
    private final int[] hitCounts;
    private final CmpRecords cmp;
    private final List<String> warnings;

    private CoverageRun(Builder b, long[] uniquePcs, int[] hitCounts) {
        this.source = b.source;
        this.format = Objects.requireNonNull(b.format);
        this.gzipped = b.gzipped;
        this.wordSize = b.wordSize;
        this.mode = Objects.requireNonNull(b.mode);
        this.pcKind = Objects.requireNonNull(b.pcKind);
        this.overflowed = b.overflowed;
        this.declaredCount = b.declaredCount;
        this.trace = b.trace;
        this.cmp = b.cmp;
        this.warnings = List.copyOf(b.warnings);
        this.uniquePcs = uniquePcs;
        this.hitCounts = hitCounts;
    }

    /** A PC-mode run from PCs in execution order (a live session, a set result, a test). */
    public static CoverageRun fromPcs(long[] orderedPcs, PcKind kind, Path source) {
        return builder(source, DumpFormat.IN_MEMORY, TraceMode.PC)
                .pcKind(kind).declaredCount(orderedPcs.length).trace(orderedPcs).build();
    }

    /** The file it was read from, or null for runs built in memory without one. */
    public Path source() {
        return source;
    }

    public DumpFormat format() {
        return format;
    }

    public boolean gzipped() {
        return gzipped;
    }

    /** 8 (64-bit kernel) or 4 (32-bit); for text lists 4 when every PC fits in 32 bits. */
    public int wordSize() {
        return wordSize;
    }

    public TraceMode mode() {
        return mode;
    }

    public PcKind pcKind() {
        return pcKind;
    }

    /** The area was full: the kernel dropped whatever came after the last entry. */
    public boolean overflowed() {
        return overflowed;
    }

    /** What word 0 of the area said (entries for text lists and in-memory runs). */
    public long declaredCount() {
        return declaredCount;
    }

    /** Entries: PCs in PC mode, comparison records in CMP mode. */
    public int entries() {
        return mode == TraceMode.PC ? trace.length : cmp.size();
    }

    /** PCs in execution order with repeats (PC mode); empty in CMP mode. */
    public long[] trace() {
        return trace;
    }

    /** Sorted unique PCs (PC mode: the PCs; CMP mode: the ip column). */
    public long[] uniquePcs() {
        return uniquePcs;
    }

    /** How often each of {@link #uniquePcs()} occurs, parallel to it. */
    public int[] hitCounts() {
        return hitCounts;
    }

    /** The comparison records; null in PC mode. */
    public CmpRecords cmp() {
        return cmp;
    }

    /** The unique PCs as a set for the algebra. */
    public PcSet pcSet() {
        return PcSet.of(uniquePcs);
    }

    /** Things a user should know that did not stop the read, e.g. an overflowed area. */
    public List<String> warnings() {
        return warnings;
    }

    /** The same run with another PC kind, once the symbolizer has decided what the PCs are. */
    public CoverageRun withPcKind(PcKind kind) {
        return new CoverageRun(toBuilder().pcKind(kind), uniquePcs, hitCounts);
    }

    private Builder toBuilder() {
        Builder b = builder(source, format, mode).gzipped(gzipped).wordSize(wordSize).pcKind(pcKind)
                .overflowed(overflowed).declaredCount(declaredCount).trace(trace).cmp(cmp);
        b.warnings.addAll(warnings);
        return b;
    }

    static Builder builder(Path source, DumpFormat format, TraceMode mode) {
        return new Builder(source, format, mode);
    }

    /** Collects what a reader found; {@link #build()} de-duplicates. */
    static final class Builder {
        private final Path source;
        private final DumpFormat format;
        private final TraceMode mode;
        private boolean gzipped;
        private int wordSize = 8;
        private PcKind pcKind = PcKind.UNKNOWN;
        private boolean overflowed;
        private long declaredCount;
        private long[] trace = new long[0];
        private CmpRecords cmp;
        private final List<String> warnings = new ArrayList<>();

        private Builder(Path source, DumpFormat format, TraceMode mode) {
            this.source = source;
            this.format = format;
            this.mode = mode;
        }

        Builder gzipped(boolean value) {
            gzipped = value;
            return this;
        }

        Builder wordSize(int value) {
            wordSize = value;
            return this;
        }

        Builder pcKind(PcKind value) {
            pcKind = value;
            return this;
        }

        Builder overflowed(boolean value) {
            overflowed = value;
            return this;
        }

        Builder declaredCount(long value) {
            declaredCount = value;
            return this;
        }

        Builder trace(long[] value) {
            trace = value;
            return this;
        }

        Builder cmp(CmpRecords value) {
            cmp = value;
            return this;
        }

        Builder warning(String message) {
            warnings.add(message);
            return this;
        }

        CoverageRun build() {
            if ((mode == TraceMode.CMP) != (cmp != null)) {
                throw new IllegalStateException("CMP records exactly when the mode is CMP");
            }
            PcHitTable.Counts counts = PcCounter.count(mode == TraceMode.PC ? trace : cmp.ips());
            return new CoverageRun(this, counts.pcs(), counts.hits());
        }
    }
}
