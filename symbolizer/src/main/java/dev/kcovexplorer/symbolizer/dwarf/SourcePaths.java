package dev.kcovexplorer.symbolizer.dwarf;

/** Builds source paths the way llvm-symbolizer does, and relates them to the build's source root. */
public final class SourcePaths {
    private SourcePaths() {
    }

    /**
     * {@code compDir/includeDir/name}: an absolute name stands alone, an absolute include dir drops
     * the comp dir; components are joined with single slashes and {@code /./} is collapsed.
     */
    static String join(String compDir, String includeDir, String name) {
        if (name.startsWith("/")) {
            return collapse(name);
        }
        StringBuilder b = new StringBuilder(96);
        if (compDir != null && !compDir.isEmpty() && (includeDir == null || !includeDir.startsWith("/"))) {
            append(b, compDir);
        }
        if (includeDir != null) {
            append(b, includeDir);
        }
        append(b, name);
        return collapse(b.toString());
    }

    private static void append(StringBuilder b, String component) {
        if (component.isEmpty()) {
            return;
        }
        boolean pathHasSep = b.length() > 0 && b.charAt(b.length() - 1) == '/';
        if (pathHasSep) {
            int i = 0;
            while (i < component.length() && component.charAt(i) == '/') {
                i++;
            }
            b.append(component, i, component.length());
        } else {
            if (b.length() > 0 && component.charAt(0) != '/') {
                b.append('/');
            }
            b.append(component);
        }
    }

    /** Collapses every {@code /./} into {@code /} (a path never grows longer). */
    public static String collapse(String path) {
        if (path.indexOf("/./") < 0) {
            return path;
        }
        String p = path;
        int i;
        while ((i = p.indexOf("/./")) >= 0) {
            p = p.substring(0, i) + p.substring(i + 2);
        }
        return p;
    }

    /**
     * {@code path} relative to {@code sourceRoot} (a comp dir such as the kernel build directory):
     * the root and the following slash stripped; {@code path} unchanged when it lies elsewhere.
     */
    public static String relativeTo(String sourceRoot, String path) {
        if (sourceRoot == null || sourceRoot.isEmpty() || path == null) {
            return path;
        }
        String root = sourceRoot.endsWith("/") ? sourceRoot : sourceRoot + "/";
        return path.startsWith(root) ? path.substring(root.length()) : path;
    }
}
