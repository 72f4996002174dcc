package dev.kcovexplorer.app.model.cmp;

/**
 * A constant a comparison site compared with (a {@code const_cmp} constant or a switch case) and how
 * many records found the variable operand equal to it; 0 is a missed constant.
 */
public record ComparisonConstant(long value, long equalRecords) {

    public boolean neverEqual() {
        return equalRecords == 0;
    }
}
