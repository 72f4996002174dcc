package dev.kcovexplorer.app.model.algebra;

import dev.kcovexplorer.kcov.PcSet;
import java.util.function.BinaryOperator;

/** How to combine sets of type {@code T}: lets one expression run over PC sets, line sets or test oracles. */
public interface SetOperations<T> {
    T union(T a, T b);

    T intersection(T a, T b);

    T difference(T a, T b);

    T symmetricDifference(T a, T b);

    default T apply(Operator op, T a, T b) {
        return switch (op) {
            case UNION -> union(a, b);
            case INTERSECTION -> intersection(a, b);
            case DIFFERENCE -> difference(a, b);
            case SYMMETRIC_DIFFERENCE -> symmetricDifference(a, b);
        };
    }

    /** The operations on {@link PcSet}s. */
    SetOperations<PcSet> PC_SETS = of(PcSet::union, PcSet::intersect, PcSet::minus, PcSet::symmetricDifference);

    /** Operations that compute nothing: for walking an expression to check or collect its names. */
    SetOperations<Object> IGNORE = of((a, b) -> null, (a, b) -> null, (a, b) -> null, (a, b) -> null);

    /** Set operations from the four functions that do them. */
    static <T> SetOperations<T> of(BinaryOperator<T> union, BinaryOperator<T> intersection,
                                   BinaryOperator<T> difference, BinaryOperator<T> symmetricDifference) {
        return new SetOperations<>() {
            @Override
            public T union(T a, T b) {
                return union.apply(a, b);
            }

            @Override
            public T intersection(T a, T b) {
                return intersection.apply(a, b);
            }

            @Override
            public T difference(T a, T b) {
                return difference.apply(a, b);
            }

            @Override
            public T symmetricDifference(T a, T b) {
                return symmetricDifference.apply(a, b);
            }
        };
    }
}
