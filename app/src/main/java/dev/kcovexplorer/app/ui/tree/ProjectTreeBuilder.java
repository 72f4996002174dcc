package dev.kcovexplorer.app.ui.tree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns per-file figures into the project tree: directories aggregate their files, nodes not matching
 * the filter are pruned, and chains of single-child directories collapse into one node, as IDEs do.
 * Plain Java, so it runs off the FX thread and is tested without a toolkit.
 */
public final class ProjectTreeBuilder {
    private static final Comparator<ProjectNode> DIRECTORIES_FIRST =
            Comparator.comparing((ProjectNode n) -> n.file()).thenComparing(ProjectNode::name);

    private ProjectTreeBuilder() {
    }

    /**
     * @param directories   the model's figures per directory path ("" = root); a point inlined into several
     *                      files counts once per directory there, so they are not the sums of the files
     * @param filter        case-insensitive substring a file path must contain ("" keeps all)
     * @param onlyCovered   drop files without covered lines (and without diff changes)
     */
    public static ProjectNode build(List<FileFigures> files, Map<String, FileFigures> directories, String filter,
                                    boolean onlyCovered) {
        String needle = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
        Directory root = new Directory("", "", directories);
        for (FileFigures f : files) {
            boolean changed = f.gainedPoints() > 0 || f.lostPoints() > 0;
            if (onlyCovered && f.coveredLines() == 0 && !changed) {
                continue;
            }
            if (!needle.isEmpty() && !f.path().toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            root.add(f, f.path().split("/"), 0);
        }
        return root.toNode();
    }

    private static final class Directory {
        final String name;
        final String path;
        final TreeMap<String, Directory> directories = new TreeMap<>();
        final List<FileFigures> files = new ArrayList<>();
        final Map<String, FileFigures> figures;

        Directory(String name, String path, Map<String, FileFigures> figures) {
            this.name = name;
            this.path = path;
            this.figures = figures;
        }

        void add(FileFigures file, String[] parts, int depth) {
            if (depth == parts.length - 1) {
                files.add(file);
                return;
            }
            String part = parts[depth];
            directories.computeIfAbsent(part, p -> new Directory(p, path.isEmpty() ? p : path + "/" + p, figures))
                    .add(file, parts, depth + 1);
        }

        ProjectNode toNode() {
            List<ProjectNode> children = new ArrayList<>(directories.size() + files.size());
            for (Directory d : directories.values()) {
                children.add(d.toNode());
            }
            for (FileFigures f : files) {
                String fileName = f.path().substring(f.path().lastIndexOf('/') + 1);
                children.add(new ProjectNode(fileName, f.path(), true, f.coveredLines(), f.coverableLines(),
                        f.coveredPoints(), f.points(), f.gainedPoints(), f.lostPoints(), f.runs(), List.of()));
            }
            children.sort(DIRECTORIES_FIRST);
            int coveredLines = 0;
            int coverableLines = 0;
            int coveredPoints = 0;
            int points = 0;
            int gained = 0;
            int lost = 0;
            int runs = 0;
            for (ProjectNode c : children) {
                runs = Math.max(runs, c.runs());
                coveredLines += c.coveredLines();
                coverableLines += c.coverableLines();
                coveredPoints += c.coveredPoints();
                points += c.points();
                gained += c.gainedPoints();
                lost += c.lostPoints();
            }
            FileFigures own = figures.get(path);
            if (own != null) {
                coveredLines = own.coveredLines();
                coverableLines = own.coverableLines();
                coveredPoints = own.coveredPoints();
                points = own.points();
                gained = own.gainedPoints();
                lost = own.lostPoints();
                runs = own.runs();
            }
            // A directory whose only child is a directory shows as one node "a/b" (the root never collapses).
            if (!path.isEmpty() && children.size() == 1 && !children.get(0).file()) {
                ProjectNode only = children.get(0);
                return new ProjectNode(name + "/" + only.name(), only.path(), false, only.coveredLines(),
                        only.coverableLines(), only.coveredPoints(), only.points(), only.gainedPoints(),
                        only.lostPoints(), only.runs(), only.children());
            }
            return new ProjectNode(path.isEmpty() ? "/" : name, path, false, coveredLines, coverableLines,
                    coveredPoints, points, gained, lost, runs, List.copyOf(children));
        }
    }
}
