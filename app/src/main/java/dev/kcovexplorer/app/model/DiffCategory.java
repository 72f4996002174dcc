package dev.kcovexplorer.app.model;

/** genhtml's baseline categories for a coverable line, A = baseline, B = current. */
public enum DiffCategory {
    /** Covered Baseline Code: hit in A and in B. */
    CBC,
    /** Gained Baseline Code: not hit in A, hit in B. */
    GBC,
    /** Lost Baseline Code: hit in A, not hit in B. */
    LBC,
    /** Uncovered Baseline Code: hit in neither. */
    UBC;

    private static final DiffCategory[] VALUES = values();

    static DiffCategory of(boolean inA, boolean inB) {
        return inA ? (inB ? CBC : LBC) : (inB ? GBC : UBC);
    }

    static DiffCategory ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
