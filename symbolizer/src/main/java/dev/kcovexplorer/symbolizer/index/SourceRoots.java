package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Symbolizer;

import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One kernel tree under one root. Files compiled in another copy of the tree (a module built in a copy of
 * the kernel's tree; units of a vmlinux recompiled in a copy seeded with another build's objects) are named
 * under that copy's comp dir; an index names them under the kernel's, so that a header both copies include is
 * one file, relative to the kernel tree like the kernel's own files.
 */
public final class SourceRoots {
    private SourceRoots() {
    }

    /**
     * Paths under the comp dir of units compiled in a copy of the tree (a build seeded with another build's
     * objects recompiles some units in its own directory), named under the source root most units share: what
     * an index of the image names them, for answers read from the DWARF to say the same.
     */
    public static UnaryOperator<String> ontoSourceRoot(Symbolizer symbolizer) {
        String root = symbolizer.sourceRoot();
        List<String> copies = symbolizer.compDirs().stream().filter(dir -> isCopy(dir, root))
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        if (copies.isEmpty()) {
            return UnaryOperator.identity();
        }
        return s -> {
            for (String copy : copies) {
                String moved = rebased(s, copy, root);
                if (!moved.equals(s)) {
                    return moved;
                }
            }
            return s;
        };
    }

    /**
     * {@code s} moved from under {@code from} to under {@code to} when it is a path under {@code from};
     * else (a function name, a path elsewhere) unchanged.
     */
    static String rebased(String s, String from, String to) {
        String root = from.endsWith("/") ? from : from + "/";
        if (!s.startsWith(root) || s.length() == root.length()) {
            return s;
        }
        return (to.endsWith("/") ? to : to + "/") + s.substring(root.length());
    }

    /**
     * Whether files under {@code other} are to be named under {@code root}: another directory, neither inside root
     * nor above it. A directory above the root holds the root's own files too (a program compiled beside the tree,
     * a tree nested in an older one), which moving would name under a tree inside the tree.
     */
    static boolean isCopy(String other, String root) {
        return root != null && other != null && !other.equals("/") && !other.equals(root)
                && !under(other, root) && !under(root, other);
    }

    private static boolean under(String path, String dir) {
        return path.startsWith(dir.endsWith("/") ? dir : dir + "/");
    }
}
