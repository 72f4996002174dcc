package dev.kcovexplorer.app.ui.series;

import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.CoverageScope;

/**
 * What the coverage-over-time chart counts, as the user chose it: the whole kernel, a directory or file of the
 * Project tree (by path), or a function of the Functions table (by name and file).
 *
 * @param path     a directory or file path, "" for the whole kernel
 * @param function a function name, or null
 */
public record ChartScope(String path, String function) {
    public static final ChartScope KERNEL = new ChartScope("", null);

    public static ChartScope path(String path) {
        return new ChartScope(path == null ? "" : path, null);
    }

    public static ChartScope function(String name, String file) {
        return new ChartScope(file, name);
    }

    /**
     * The model's scope on {@code layout}: a function the layout does not know counts as its file, and a path none of
     * its files is in or under as the whole kernel (a start view's editor names its file before the session is read,
     * and the tree, which selects only the files it holds, then never chose another scope).
     */
    CoverageScope resolve(CoverageLayout layout) {
        if (function != null) {
            int id = layout.findFunction(function, path);
            if (id >= 0) {
                return CoverageScope.function(layout, id);
            }
        }
        CoverageScope files = CoverageScope.path(layout, path);
        return files.holdsNoFile() ? CoverageScope.kernel() : files;
    }
}
