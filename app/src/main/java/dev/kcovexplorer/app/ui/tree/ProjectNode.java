package dev.kcovexplorer.app.ui.tree;

import java.util.List;

/**
 * A directory or file of the project tree with its aggregated figures. {@code name} is what the tree
 * shows: for a chain of single-child directories it is the joined chain ("drivers/usb/core"). {@code runs}
 * is the heat: in how many of the composition's runs a point below the node was hit.
 */
public record ProjectNode(String name, String path, boolean file, int coveredLines, int coverableLines,
                          int coveredPoints, int points, int gainedPoints, int lostPoints, int runs,
                          List<ProjectNode> children) {

    public boolean hasCoverage() {
        return coveredLines > 0 || gainedPoints > 0 || lostPoints > 0;
    }

    /** Every file path below this node (this one if it is a file), for tests and "go to file". */
    public void collectFiles(List<String> into) {
        if (file) {
            into.add(path);
        }
        children.forEach(child -> child.collectFiles(into));
    }
}
