package dev.kcovexplorer.kcov;

/**
 * What a reader should not guess. {@code null} (or 0 for the word size) means "detect it".
 *
 * @param format   force binary, text or rawcover
 * @param wordSize force 4 or 8 byte words (binary areas; for text lists the reported word size)
 * @param mode     force TRACE_PC or TRACE_CMP (binary areas)
 * @param pcKind   override what the PCs are (e.g. call sites for a list known to come from syzkaller)
 */
public record DumpOptions(DumpFormat format, int wordSize, TraceMode mode, PcKind pcKind) {

    public static final DumpOptions AUTO = new DumpOptions(null, 0, null, null);

    public DumpOptions {
        if (wordSize != 0 && wordSize != 4 && wordSize != 8) {
            throw new IllegalArgumentException("word size must be 4 or 8 bytes, not " + wordSize);
        }
        if (format == DumpFormat.IN_MEMORY) {
            throw new IllegalArgumentException("a file cannot be read as an in-memory run");
        }
    }

    public DumpOptions withFormat(DumpFormat newFormat) {
        return new DumpOptions(newFormat, wordSize, mode, pcKind);
    }

    public DumpOptions withWordSize(int newWordSize) {
        return new DumpOptions(format, newWordSize, mode, pcKind);
    }

    public DumpOptions withMode(TraceMode newMode) {
        return new DumpOptions(format, wordSize, newMode, pcKind);
    }

    public DumpOptions withPcKind(PcKind newKind) {
        return new DumpOptions(format, wordSize, mode, newKind);
    }
}
