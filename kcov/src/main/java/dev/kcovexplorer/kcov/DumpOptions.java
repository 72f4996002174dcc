package dev.kcovexplorer.kcov;

/**
 * What a reader should not guess. {@code null} (or 0 for the word size) means "detect it".
 *
 * @param format   force binary, text or rawcover
 * @param wordSize force 4 or 8 byte words (binary areas; for text lists the reported word size)
 * @param mode     force TRACE_PC or TRACE_CMP (binary areas)
 * @param pcKind   override what the PCs are (e.g. call sites for a list known to come from syzkaller)
 * @param maxEntries the most PCs or CMP records a file may declare: a corrupt count word must not
 *                 make the reader allocate gigabytes. Default {@value #DEFAULT_MAX_ENTRIES} (2^28, a 2 GiB
 *                 area of 8-byte words), or the system property {@value #MAX_ENTRIES_PROPERTY}.
 */
public record DumpOptions(DumpFormat format, int wordSize, TraceMode mode, PcKind pcKind, long maxEntries) {

    public static final long DEFAULT_MAX_ENTRIES = 1L << 28;
    public static final String MAX_ENTRIES_PROPERTY = "kcovexplorer.maxEntries";
    public static final DumpOptions AUTO = new DumpOptions(null, 0, null, null);

    /** Options with the default entry limit. */
    public DumpOptions(DumpFormat format, int wordSize, TraceMode mode, PcKind pcKind) {
        this(format, wordSize, mode, pcKind, Long.getLong(MAX_ENTRIES_PROPERTY, DEFAULT_MAX_ENTRIES));
    }

    public DumpOptions {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the entry limit must be positive, not " + maxEntries);
        }
        if (wordSize != 0 && wordSize != 4 && wordSize != 8) {
            throw new IllegalArgumentException("word size must be 4 or 8 bytes, not " + wordSize);
        }
        if (format == DumpFormat.IN_MEMORY) {
            throw new IllegalArgumentException("a file cannot be read as an in-memory run");
        }
    }

    public DumpOptions withFormat(DumpFormat newFormat) {
        return new DumpOptions(newFormat, wordSize, mode, pcKind, maxEntries);
    }

    public DumpOptions withWordSize(int newWordSize) {
        return new DumpOptions(format, newWordSize, mode, pcKind, maxEntries);
    }

    public DumpOptions withMode(TraceMode newMode) {
        return new DumpOptions(format, wordSize, newMode, pcKind, maxEntries);
    }

    public DumpOptions withPcKind(PcKind newKind) {
        return new DumpOptions(format, wordSize, mode, newKind, maxEntries);
    }

    public DumpOptions withMaxEntries(long newMaxEntries) {
        return new DumpOptions(format, wordSize, mode, pcKind, newMaxEntries);
    }
}
