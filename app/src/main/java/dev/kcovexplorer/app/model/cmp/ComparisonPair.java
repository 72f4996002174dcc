package dev.kcovexplorer.app.model.cmp;

/** One (arg1, arg2) pair a comparison site saw, and in how many records. */
public record ComparisonPair(long arg1, long arg2, long count) {
}
