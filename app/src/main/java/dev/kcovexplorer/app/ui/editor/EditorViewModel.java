package dev.kcovexplorer.app.ui.editor;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One editor tab: the file's content (null while it loads), where the caret is, and the navigation
 * commands (next/previous line that needs attention, go to line, find). The view binds to it and turns
 * {@link #revealProperty()} requests into caret moves and scrolling.
 */
public final class EditorViewModel {
    private final String path;
    private final ReadOnlyObjectWrapper<EditorContent> content = new ReadOnlyObjectWrapper<>(this, "content");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading", true);
    private final ReadOnlyIntegerWrapper caretLine = new ReadOnlyIntegerWrapper(this, "caretLine", 1);
    private final ReadOnlyIntegerWrapper caretColumn = new ReadOnlyIntegerWrapper(this, "caretColumn", 1);
    private final ReadOnlyObjectWrapper<Reveal> reveal = new ReadOnlyObjectWrapper<>(this, "reveal");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private int pendingLine;
    // No line has run in any content shown yet and nothing was navigated to. A click is not seen here: the view
    // reports the caret moving to the text's end at every install, so only navigation (go to, find, F2) ends it.
    private boolean awaitingFirstRun;

    public EditorViewModel(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    /** The tab title: the file name. */
    public String title() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public ReadOnlyObjectProperty<EditorContent> contentProperty() {
        return content.getReadOnlyProperty();
    }

    public EditorContent content() {
        return content.get();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty caretLineProperty() {
        return caretLine.getReadOnlyProperty();
    }

    /** The caret's 1-based column, for the status bar's line:column. */
    public ReadOnlyIntegerProperty caretColumnProperty() {
        return caretColumn.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Reveal> revealProperty() {
        return reveal.getReadOnlyProperty();
    }

    /** A one-line answer to the last command ("no more uncovered lines below"), "" when none. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /**
     * Installs freshly built content (first load or a restyle after the expression changed). The caret
     * stays where it was; a line asked for before the content arrived is revealed now. A tab that has shown
     * no line that ran (opened before a live run's first batch, as the Demo VM's hub.c is) and was not moved
     * since reveals the first line that runs, as a tab opened after it would.
     */
    public void show(EditorContent newContent) {
        boolean first = content.get() == null;
        content.set(newContent);
        loading.set(false);
        if (pendingLine > 0) {
            int line = pendingLine;
            pendingLine = 0;
            goToLine(line);
        } else if (first || awaitingFirstRun) {
            awaitingFirstRun = !revealFirstRunLine();
        }
    }

    /** The view reports caret moves here, with the 1-based column. */
    public void caretMovedTo(int line, int column) {
        caretLine.set(line);
        caretColumn.set(column);
    }

    public void goToLine(int line) {
        awaitingFirstRun = false;
        EditorContent c = content.get();
        if (c == null) {
            pendingLine = line;
            return;
        }
        if (c.lineCount() == 0) {
            return;
        }
        int clamped = Math.max(1, Math.min(line, c.lineCount()));
        caretLine.set(clamped);
        reveal.set(new Reveal(clamped, 0, 0));
    }

    /** Scrolls to the first line that ran (what `editor:PATH` snapshots and a fresh tab show); false if none ran. */
    public boolean revealFirstRunLine() {
        EditorContent c = content.get();
        for (int line = 1; c != null && line <= c.lineCount(); line++) {
            if (c.mark(line).ran()) {
                goToLine(line);
                return true;
            }
        }
        return false;
    }

    /** F2: the next line below the caret that is uncovered, partial or lost; wraps around. */
    public boolean nextAttentionLine() {
        return stepToAttention(+1);
    }

    /** Shift+F2. */
    public boolean previousAttentionLine() {
        return stepToAttention(-1);
    }

    private boolean stepToAttention(int direction) {
        EditorContent c = content.get();
        if (c == null || c.lineCount() == 0) {
            return false;
        }
        int n = c.lineCount();
        int line = caretLine.get();
        // Skip the block the caret is in, so F2 jumps to the next uncovered block, not the next line of it.
        while (inRange(line, n) && c.mark(line).needsAttention()) {
            line += direction;
        }
        for (int step = 0; step < n; step++) {
            line = wrap(line, n);
            if (c.mark(line).needsAttention()) {
                notice.set("");
                goToLine(line);
                return true;
            }
            line += direction;
        }
        notice.set("no uncovered lines in " + title());
        return false;
    }

    /** Ctrl+F: finds {@code query} after (or before) the caret, case-insensitively, wrapping around. */
    public boolean find(String query, boolean forward) {
        EditorContent c = content.get();
        if (c == null || query == null || query.isEmpty() || c.lineCount() == 0) {
            return false;
        }
        String needle = query.toLowerCase(java.util.Locale.ROOT);
        int n = c.lineCount();
        Reveal current = reveal.get();
        int startLine = caretLine.get();
        int startColumn = current != null && current.line() == startLine ? current.column() : -1;
        for (int step = 0; step <= n; step++) {
            int line = wrap(startLine + (forward ? step : -step), n);
            String text = c.line(line).toLowerCase(java.util.Locale.ROOT);
            int column;
            if (step == 0) {
                column = forward ? text.indexOf(needle, startColumn + 1)
                        : startColumn <= 0 ? -1 : text.lastIndexOf(needle, startColumn - 1);
            } else {
                column = forward ? text.indexOf(needle) : text.lastIndexOf(needle);
            }
            if (column >= 0) {
                notice.set("");
                awaitingFirstRun = false;
                caretLine.set(line);
                reveal.set(new Reveal(line, column, query.length()));
                return true;
            }
        }
        notice.set("'" + query + "' not found in " + title());
        return false;
    }

    /** Hover text for a line. */
    public String detailsAt(int line) {
        EditorContent c = content.get();
        return c == null || line < 1 || line > c.lineCount() ? "" : c.details(line);
    }

    private static boolean inRange(int line, int n) {
        return line >= 1 && line <= n;
    }

    private static int wrap(int line, int n) {
        int zeroBased = Math.floorMod(line - 1, n);
        return zeroBased + 1;
    }
}
