package dev.kcovexplorer.app.ui.functions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Function rows most covered first, the Functions table's default order: a stable sort by covered points, ties in the
 * order given. Only made by sorting, which the snapshot does on its worker, so the FX thread takes the rows as they
 * are: checking 312,988 kernel functions' order there was a gap of its own at every load (~25 ms of its CPU, the
 * check's first call interpreted).
 */
public final class MostCoveredFirst {
    /** The order, for any other copy of rows that should come in it. */
    public static final Comparator<FunctionRow> ORDER = Comparator.comparingInt(FunctionRow::coveredPoints).reversed();
    /** No functions. */
    public static final MostCoveredFirst NONE = new MostCoveredFirst(List.of());

    private final List<FunctionRow> rows;

    private MostCoveredFirst(List<FunctionRow> rows) {
        this.rows = rows;
    }

    /** {@code rows} sorted into a list of their own. */
    public static MostCoveredFirst sort(Collection<FunctionRow> rows) {
        List<FunctionRow> sorted = new ArrayList<>(rows);
        sorted.sort(ORDER);
        return new MostCoveredFirst(List.copyOf(sorted));
    }

    /** The rows in order; immutable. */
    public List<FunctionRow> rows() {
        return rows;
    }
}
