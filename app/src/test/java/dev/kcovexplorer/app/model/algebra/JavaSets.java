package dev.kcovexplorer.app.model.algebra;

import java.util.TreeSet;

/** The oracle: the same operations on java.util sets. */
final class JavaSets implements SetOperations<TreeSet<Long>> {
    static final JavaSets OPS = new JavaSets();

    @Override
    public TreeSet<Long> union(TreeSet<Long> a, TreeSet<Long> b) {
        TreeSet<Long> r = new TreeSet<>(a);
        r.addAll(b);
        return r;
    }

    @Override
    public TreeSet<Long> intersection(TreeSet<Long> a, TreeSet<Long> b) {
        TreeSet<Long> r = new TreeSet<>(a);
        r.retainAll(b);
        return r;
    }

    @Override
    public TreeSet<Long> difference(TreeSet<Long> a, TreeSet<Long> b) {
        TreeSet<Long> r = new TreeSet<>(a);
        r.removeAll(b);
        return r;
    }

    @Override
    public TreeSet<Long> symmetricDifference(TreeSet<Long> a, TreeSet<Long> b) {
        return difference(union(a, b), intersection(a, b));
    }
}
