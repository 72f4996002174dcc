package dev.kcovexplorer.kcov;

/** The container a run came from. Gzip compression is orthogonal ({@link CoverageRun#gzipped()}). */
public enum DumpFormat {
    /** A kcov area as user space sees it after {@code mmap}: little-endian words, word 0 the count. */
    BINARY("binary"),
    /** One address per line, hex with or without {@code 0x}, or decimal; {@code #} comments. */
    TEXT("text"),
    /** syzkaller's {@code rawcover}: a text list whose PCs are already call sites. Only when forced. */
    RAWCOVER("rawcover"),
    /** Built in memory (a live session, a set expression): no file behind it. */
    IN_MEMORY("memory");

    private final String id;

    DumpFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses "binary", "text" or "rawcover" (the formats a file can be forced to). */
    public static DumpFormat parse(String text) {
        for (DumpFormat format : values()) {
            if (format != IN_MEMORY && format.id.equalsIgnoreCase(text.trim())) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown dump format '" + text + "', expected binary, text or rawcover");
    }
}
