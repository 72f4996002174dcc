package dev.kcovexplorer.app.model.report;

/** The formats {@code report --format} writes. */
public enum ReportFormat {
    JSON("json"),
    LCOV("lcov"),
    FUNCCOVER("funccover"),
    FILECOVER("filecover"),
    RAWCOVER("rawcover"),
    HTML("html");

    private final String id;

    ReportFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static ReportFormat parse(String text) {
        for (ReportFormat format : values()) {
            if (format.id.equalsIgnoreCase(text)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + text
                + "' (expected json, lcov, funccover, filecover, rawcover or html)");
    }
}
