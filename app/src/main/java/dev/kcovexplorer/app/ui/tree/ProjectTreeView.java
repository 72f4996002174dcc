package dev.kcovexplorer.app.ui.tree;

import dev.kcovexplorer.app.model.Figures;

import java.util.HashSet;
import java.util.Set;
import dev.kcovexplorer.app.ui.editor.CoverageDocument;
import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.task.AfterPulses;
import javafx.collections.ObservableList;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The Project tool window: filter field, "hide files without coverage", and the tree with coverage bars. */
public final class ProjectTreeView extends VBox {
    private final ProjectTreeViewModel model;
    private final TreeView<ProjectNode> tree = new TreeView<>();
    private final TextField filter = new TextField();
    private final Set<String> expanded = new HashSet<>();
    private boolean reshaped;
    private boolean showingFiltered;

    public ProjectTreeView(ProjectTreeViewModel model) {
        this.model = model;
        getStyleClass().add("project-view");
        filter.setPromptText("Filter files");
        filter.getStyleClass().add("tool-filter");
        filter.textProperty().bindBidirectional(model.filterProperty());
        CheckBox hide = new CheckBox("Hide files without coverage");
        hide.selectedProperty().bindBidirectional(model.hideUncoveredProperty());
        hide.getStyleClass().add("tool-option");

        tree.setShowRoot(false);
        tree.getStyleClass().add("project-tree");
        tree.setCellFactory(view -> new ProjectCell());
        tree.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openSelected();
            }
        });
        tree.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                openSelected();
            }
        });
        tree.getSelectionModel().selectedItemProperty().addListener((obs, old, item) ->
                model.select(item == null ? null : item.getValue()));
        model.heatOfProperty().addListener((obs, old, now) -> tree.refresh());
        VBox.setVgrow(tree, Priority.ALWAYS);
        getChildren().addAll(filter, hide, tree);
        // A new filter reshapes the tree: show the selected file again. New figures keep it as it is.
        model.filterProperty().addListener((obs, old, now) -> reshaped = true);
        model.hideUncoveredProperty().addListener((obs, old, now) -> reshaped = true);
        model.rootProperty().addListener((obs, old, root) -> {
            if (old == null || reshaped) {
                reshaped = false;
                if (tree.getRoot() == null && root != null && AfterPulses.onScreen(this) && tree.getHeight() > 0) {
                    showFirstRowsInTwoPulses();
                } else {
                    show(root);
                    reveal(model.revealedProperty().get());
                }
            } else {
                showInPlace(root);
            }
        });
        model.revealedProperty().addListener((obs, old, path) -> reveal(path));
        show(model.rootProperty().get());
    }

    public TreeView<ProjectNode> tree() {
        return tree;
    }

    public void focusTree() {
        tree.requestFocus();
    }

    private void openSelected() {
        TreeItem<ProjectNode> item = tree.getSelectionModel().getSelectedItem();
        if (item != null) {
            model.open(item.getValue());
        }
    }

    private void show(ProjectNode root) {
        // A filtered tree opens every directory it shows: not what the user opened, so not remembered.
        if (!showingFiltered) {
            rememberExpanded(tree.getRoot());
        }
        if (root == null) {
            tree.setRoot(null);
            return;
        }
        showingFiltered = !model.filterProperty().get().isBlank();
        TreeItem<ProjectNode> item = new LazyItem(root, showingFiltered);
        item.setExpanded(true);
        tree.setRoot(item);
    }

    /**
     * The first rows of a tree on screen are made over two pulses: the tree at half its height first, the root set
     * then (its rows are made in that call, the skin lays the flow out at once), the whole height in the next pulse.
     * The first 16 rows made and styled in one call were 20-25 ms of the FX thread at the start. The settled rows are
     * those one layout shows.
     */
    private void showFirstRowsInTwoPulses() {
        double maxHeight = tree.getMaxHeight();
        tree.setMaxHeight(Math.ceil(tree.getHeight() / 2));
        // Laid out at half the height now (no rows yet, little to do), so that setRoot makes half the rows. In this
        // call, not a pulse later: the result's own call is a pulse's share of its own (PacedUiThread), where a later
        // call fell in one gap with the next result (the functions', 6 ms).
        layout();
        // The revealed file is scrolled to in the next pulse only: revealed in this call too (the start view's editor
        // opens before the tree's result comes), it made 50-64 ms of FX CPU in one gap with the result.
        show(model.rootProperty().get());
        AfterPulses.afterNext(() -> {
            // The flow keeps its scroll fraction as it grows, not its top row: laid out at the whole height here, it
            // is scrolled to the revealed file before the pulse shows it.
            tree.setMaxHeight(maxHeight);
            layout();
            reveal(model.revealedProperty().get());
        });
    }

    /**
     * New figures for a tree on screen (another composition, live coverage arriving several times a
     * second): the same rows stay where the user scrolled them, with the same row selected.
     */
    private void showInPlace(ProjectNode root) {
        int firstRow = firstVisibleRow();
        TreeItem<ProjectNode> selected = tree.getSelectionModel().getSelectedItem();
        String selectedPath = selected == null ? null : selected.getValue().path();
        show(root);
        if (selectedPath != null) {
            TreeItem<ProjectNode> item = expandTo(selectedPath);
            if (item != null) {
                tree.getSelectionModel().select(item);
            }
        }
        if (firstRow >= 0) {
            tree.scrollTo(firstRow);
        }
    }

    private int firstVisibleRow() {
        if (tree.lookup(".virtual-flow") instanceof VirtualFlow<?> flow && flow.getFirstVisibleCell() != null) {
            return flow.getFirstVisibleCell().getIndex();
        }
        return -1;
    }

    /** Expands the directories down to {@code path}, selects it and scrolls it into view. */
    private void reveal(String path) {
        TreeItem<ProjectNode> item = path == null ? null : expandTo(path);
        if (item == null) {
            return;
        }
        tree.getSelectionModel().select(item);
        int row = tree.getRow(item);
        if (row >= 0) {
            tree.scrollTo(Math.max(0, row - 3));
        }
    }

    /** Expands the directories down to {@code path}; its item, or null when the tree does not show it. */
    private TreeItem<ProjectNode> expandTo(String path) {
        TreeItem<ProjectNode> item = tree.getRoot();
        if (item == null) {
            return null;
        }
        while (!item.getValue().path().equals(path)) {
            TreeItem<ProjectNode> next = null;
            for (TreeItem<ProjectNode> child : item.getChildren()) {
                String childPath = child.getValue().path();
                if (path.equals(childPath) || path.startsWith(childPath + "/")) {
                    next = child;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            item.setExpanded(true);
            item = next;
        }
        return item;
    }

    /** Records which directories are open, and forgets those the user closed, for the next tree. */
    private void rememberExpanded(TreeItem<ProjectNode> item) {
        if (item == null) {
            return;
        }
        if (!item.isExpanded()) {
            expanded.remove(item.getValue().path());
            return;
        }
        expanded.add(item.getValue().path());
        if (item instanceof LazyItem lazy && lazy.childrenBuilt) {
            item.getChildren().forEach(this::rememberExpanded);
        }
    }

    /** Builds children when first expanded: a kernel has thousands of directories nobody opens. */
    private final class LazyItem extends TreeItem<ProjectNode> {
        private final boolean expandAll;
        private boolean childrenBuilt;

        LazyItem(ProjectNode node, boolean expandAll) {
            super(node);
            this.expandAll = expandAll;
            if (!node.file() && (expandAll || expanded.contains(node.path()))) {
                setExpanded(true);
            }
        }

        @Override
        public boolean isLeaf() {
            return getValue().file();
        }

        @Override
        public ObservableList<TreeItem<ProjectNode>> getChildren() {
            if (!childrenBuilt) {
                childrenBuilt = true;
                for (ProjectNode child : getValue().children()) {
                    super.getChildren().add(new LazyItem(child, expandAll));
                }
            }
            return super.getChildren();
        }
    }

    /** Name, coverage bar, "covered/coverable", percentage (and +gained / −lost in diff mode). */
    private final class ProjectCell extends TreeCell<ProjectNode> {
        private final Region icon = new Region();
        private final Label name = new Label();
        private final Region fill = new Region();
        private final StackPane bar = new StackPane(fill);
        private final Label lines = new Label();
        private final Label percent = new Label();
        private final Label delta = new Label();
        private final HBox row;

        ProjectCell() {
            icon.getStyleClass().add("node-icon");
            name.getStyleClass().add("node-name");
            name.setMinWidth(40);
            bar.getStyleClass().add("coverage-bar");
            fill.getStyleClass().add("coverage-bar-fill");
            StackPane.setAlignment(fill, javafx.geometry.Pos.CENTER_LEFT);
            lines.getStyleClass().add("node-lines");
            percent.getStyleClass().add("node-percent");
            delta.getStyleClass().add("node-delta");
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            HBox.setHgrow(name, Priority.SOMETIMES);
            row = new HBox(5, icon, name, spacer, delta, lines, bar, percent);
            row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            row.getStyleClass().add("project-row");
            // As wide as the tree's viewport, never wider: a row asking for more (diff mode adds the +/− column)
            // made the tree scroll sideways and hid the % column behind the vertical scrollbar. The name gives way.
            setPrefWidth(0);
            // Every row is one line of the same labels, so the first row laid out gives all rows' height. Told to
            // the tree, it scrolls to a row without measuring each row above it: revealing hub.c (row ~70) made a
            // cell for each and styled and laid it out, 28-38 ms of the FX thread in the start's tree reveal.
            heightProperty().addListener((obs, old, height) -> {
                if (tree.getFixedCellSize() <= 0 && !isEmpty() && height.doubleValue() > 0) {
                    tree.setFixedCellSize(height.doubleValue());
                }
            });
        }

        @Override
        protected void updateItem(ProjectNode node, boolean empty) {
            super.updateItem(node, empty);
            if (empty || node == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            icon.getStyleClass().setAll("node-icon", node.file() ? "file-icon" : "directory-icon");
            name.setText(node.name());
            lines.setText(node.coveredLines() + "/" + node.coverableLines());
            percent.setText(Figures.percent(node.coveredLines(), node.coverableLines()));
            double fraction = Figures.fraction(node.coveredLines(), node.coverableLines());
            fill.maxWidthProperty().bind(bar.widthProperty().multiply(fraction));
            boolean diff = model.diffProperty().get();
            int heatOf = model.heatOfProperty().get();
            boolean heat = heatOf > 0 && !diff;
            delta.setText(diff ? Figures.delta(node.gainedPoints(), node.lostPoints())
                    : heat ? node.runs() + "/" + heatOf + " runs" : "");
            delta.setVisible(diff || heat);
            delta.setManaged(diff || heat);
            row.getStyleClass().setAll("project-row", node.hasCoverage() ? "has-coverage" : "no-coverage");
            if (heat) {
                row.getStyleClass().add(CoverageDocument.heatClass(EditorContent.Heat.level(node.runs(), heatOf)));
            }
            setText(null);
            setGraphic(row);
        }
    }
}
