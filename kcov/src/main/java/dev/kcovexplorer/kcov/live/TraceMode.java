package dev.kcovexplorer.kcov.live;

import java.util.Locale;

/** What kcov records: program counters, or comparison operands ({@code KCOV_TRACE_PC / _CMP}). */
public enum TraceMode {
    /** One word per entry: the return address of the {@code __sanitizer_cov_trace_pc} call. */
    PC(0, 1),
    /** Four words per entry: {@code {type, arg1, arg2, ip}}. */
    CMP(1, 4);

    private final int abiValue;
    private final int wordsPerEntry;

    TraceMode(int abiValue, int wordsPerEntry) {
        this.abiValue = abiValue;
        this.wordsPerEntry = wordsPerEntry;
    }

    /** The value of {@code KCOV_TRACE_PC} / {@code KCOV_TRACE_CMP} passed to the kernel. */
    public int abiValue() {
        return abiValue;
    }

    public int wordsPerEntry() {
        return wordsPerEntry;
    }

    /** The lower-case name used on command lines and in the agent protocol ({@code pc}, {@code cmp}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code pc} or {@code cmp} (any case). */
    public static TraceMode parse(String text) {
        for (TraceMode mode : values()) {
            if (mode.label().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown trace mode '" + text + "': expected pc or cmp");
    }
}
