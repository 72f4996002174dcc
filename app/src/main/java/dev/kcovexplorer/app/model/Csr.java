package dev.kcovexplorer.app.model;

import java.util.Arrays;

/**
 * A one-to-many table in compressed-sparse-row form: the values of row {@code r} are
 * {@code values[start[r] .. start[r+1]-1]}. Two flat arrays instead of millions of small ones.
 */
final class Csr {
    final int[] start;
    final int[] values;

    Csr(int[] start, int[] values) {
        this.start = start;
        this.values = values;
    }

    int rows() {
        return start.length - 1;
    }

    int size(int row) {
        return start[row + 1] - start[row];
    }

    int[] row(int row) {
        return Arrays.copyOfRange(values, start[row], start[row + 1]);
    }

    /** The inverse table (column → rows), rows ascending within each column. */
    Csr invert(int columns) {
        int[] counts = new int[columns + 1];
        for (int v : values) {
            counts[v + 1]++;
        }
        for (int c = 0; c < columns; c++) {
            counts[c + 1] += counts[c];
        }
        int[] fill = Arrays.copyOf(counts, columns);
        int[] out = new int[values.length];
        for (int r = 0; r < rows(); r++) {
            for (int i = start[r]; i < start[r + 1]; i++) {
                out[fill[values[i]]++] = r;
            }
        }
        return new Csr(counts, out);
    }
}
