package dev.kcovexplorer.app.model.algebra;

import dev.kcovexplorer.kcov.PcSet;

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
    SetOperations<PcSet> PC_SETS = new SetOperations<>() {
        @Override
        public PcSet union(PcSet a, PcSet b) {
            return a.union(b);
        }

        @Override
        public PcSet intersection(PcSet a, PcSet b) {
            return a.intersect(b);
        }

        @Override
        public PcSet difference(PcSet a, PcSet b) {
            return a.minus(b);
        }

        @Override
        public PcSet symmetricDifference(PcSet a, PcSet b) {
            return a.symmetricDifference(b);
        }
    };
}
