package dev.kcovexplorer.kcov;

/** What a kcov area records: {@code KCOV_TRACE_PC} (one PC per word) or {@code KCOV_TRACE_CMP} (4-word records). */
public enum TraceMode {
    PC(KcovAbi.KCOV_TRACE_PC, 1, "pc"),
    CMP(KcovAbi.KCOV_TRACE_CMP, KcovAbi.KCOV_WORDS_PER_CMP, "cmp");

    private final int kernelValue;
    private final int wordsPerEntry;
    private final String id;

    TraceMode(int kernelValue, int wordsPerEntry, String id) {
        this.kernelValue = kernelValue;
        this.wordsPerEntry = wordsPerEntry;
        this.id = id;
    }

    /** The value passed to {@code KCOV_ENABLE} / {@code kcov_remote_arg.trace_mode}. */
    public int kernelValue() {
        return kernelValue;
    }

    /** Area words per entry: 1 for a PC, 4 for a comparison record. */
    public int wordsPerEntry() {
        return wordsPerEntry;
    }

    /** "pc" or "cmp", as the CLI prints and parses it. */
    public String id() {
        return id;
    }

    /** Parses "pc" or "cmp" (any case). */
    public static TraceMode parse(String text) {
        for (TraceMode mode : values()) {
            if (mode.id.equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown trace mode '" + text + "', expected pc or cmp");
    }
}
