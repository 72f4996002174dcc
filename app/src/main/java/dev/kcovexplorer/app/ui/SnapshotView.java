package dev.kcovexplorer.app.ui;

/**
 * The `--view` of a snapshot: {@code tree} (the window as opened), {@code editor:PATH} (that file,
 * scrolled to its first covered line) or {@code diff:A,B} (diff mode, A against B).
 */
public record SnapshotView(String kind, String argument, String second) {

    public static SnapshotView parse(String text) {
        if (text == null || text.isBlank() || text.equals("tree")) {
            return new SnapshotView("tree", null, null);
        }
        if (text.startsWith("editor:") && text.length() > "editor:".length()) {
            return new SnapshotView("editor", text.substring("editor:".length()), null);
        }
        if (text.startsWith("diff:")) {
            String[] sides = text.substring("diff:".length()).split(",", -1);
            if (sides.length == 2 && !sides[0].isBlank() && !sides[1].isBlank()) {
                return new SnapshotView("diff", sides[0].trim(), sides[1].trim());
            }
        }
        throw new IllegalArgumentException("--view must be tree, editor:PATH or diff:A,B, not '" + text + "'");
    }

    void apply(MainViewModel model, MainView view) {
        switch (kind) {
            case "editor" -> model.editors().open(argument);
            case "diff" -> model.composition().showDiff(argument, second);
            default -> view.projectView().focusTree();
        }
    }
}
