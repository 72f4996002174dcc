package dev.kcovexplorer.app.ui.editor;

import dev.kcovexplorer.app.ui.task.AfterPulses;
import java.time.Duration;
import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.Popup;
import javafx.stage.Screen;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.Caret;
import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.event.MouseOverTextEvent;
import org.fxmisc.richtext.model.TwoDimensional;
import org.fxmisc.richtext.util.UndoUtils;

/**
 * One editor tab's content: a read-only {@link CodeArea} showing {@link EditorViewModel#contentProperty()},
 * with the coverage gutter, a banner, a hover popup and a find bar. Holds no logic beyond translating
 * between the view model and RichTextFX.
 */
public final class EditorView extends BorderPane {
    private final EditorViewModel model;
    private final CodeArea area = new CodeArea();
    private final Label banner = new Label();
    private final Label placeholder = new Label("Loading\u2026");
    private final CoverageGutter gutter;
    /** The first lines are being laid out in two pulses ({@link #layOutInTwoPulses}): the editor is at half height. */
    private boolean splitting;
    /** What the user had set when the file became unavailable, for when it is shown again; null otherwise. */
    private Kept keptWhileUnavailable;
    /** How many contents were shown: a restore put off to the next pulse is dropped once another came. */
    private int shown;
    private final VirtualizedScrollPane<CodeArea> scroll = new VirtualizedScrollPane<>(area);
    private final HBox findBar;
    private final TextField findField = new TextField();
    private static final double HOVER_MAX_WIDTH = 720;
    private static final double HOVER_MARGIN = 8;
    private final Popup hover = new Popup();
    private final Label hoverText = new Label();

    private final Runnable locate;
    private final javafx.scene.control.Button locateButton = new javafx.scene.control.Button("Locate\u2026");
    private final HBox bannerBox;

    /** {@code locate} asks the user for the file when the sources lack it (null: no "Locate…"). */
    public EditorView(EditorViewModel model, Runnable locate) {
        this.model = model;
        this.locate = locate;
        getStyleClass().add("editor-view");
        area.setEditable(false);
        area.setUndoManager(UndoUtils.noOpUndoManager());
        area.getStyleClass().add("coverage-editor");
        gutter = new CoverageGutter(model::content);
        area.setParagraphGraphicFactory(gutter);
        area.setMouseOverTextDelay(Duration.ofMillis(350));

        banner.getStyleClass().add("editor-banner-text");
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.setWrapText(true);
        HBox.setHgrow(banner, Priority.ALWAYS);
        locateButton.setOnAction(e -> {
            if (this.locate != null) {
                this.locate.run();
            }
        });
        bannerBox = new HBox(10, banner, locateButton);
        bannerBox.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        bannerBox.getStyleClass().add("editor-banner");
        placeholder.getStyleClass().add("editor-placeholder");
        StackPane centre = new StackPane(scroll, placeholder);
        setCenter(centre);

        findField.setPromptText("Find in file");
        findField.getStyleClass().add("find-field");
        Button next = new Button("\u2193");
        next.setOnAction(e -> model.find(findField.getText(), true));
        Button previous = new Button("\u2191");
        previous.setOnAction(e -> model.find(findField.getText(), false));
        Button close = new Button("\u2715");
        close.setOnAction(e -> hideFindBar());
        Label notice = new Label();
        notice.textProperty().bind(model.noticeProperty());
        notice.getStyleClass().add("find-notice");
        findBar = new HBox(6, findField, previous, next, notice, close);
        HBox.setHgrow(notice, Priority.ALWAYS);
        notice.setMaxWidth(Double.MAX_VALUE);
        findBar.getStyleClass().add("find-bar");
        findField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                model.find(findField.getText(), !e.isShiftDown());
            } else if (e.getCode() == KeyCode.ESCAPE) {
                hideFindBar();
            }
        });

        hoverText.getStyleClass().add("line-hover");
        hoverText.setWrapText(true);
        hover.getContent().add(hoverText);
        area.addEventHandler(MouseOverTextEvent.MOUSE_OVER_TEXT_BEGIN, e -> {
            int line = area.offsetToPosition(e.getCharacterIndex(), TwoDimensional.Bias.Forward).getMajor() + 1;
            String text = model.detailsAt(line);
            if (!text.isEmpty()) {
                Point2D at = e.getScreenPosition();
                showHover(text, at.getX() + 12, at.getY() + 14);
            }
        });
        area.addEventHandler(MouseOverTextEvent.MOUSE_OVER_TEXT_END, e -> hover.hide());

        area.currentParagraphProperty().addListener((obs, old, paragraph) -> reportCaret());
        area.caretColumnProperty().addListener((obs, old, column) -> reportCaret());
        // A read-only area hides its caret (RichTextFX shows it only while editable): show it while focused, so
        // F2 and go-to-line leave a visible place to read from.
        area.focusedProperty().addListener((obs, was, focused) ->
                area.setShowCaret(focused ? Caret.CaretVisibility.ON : Caret.CaretVisibility.AUTO));
        model.contentProperty().addListener((obs, old, content) -> show(content));
        model.revealProperty().addListener((obs, old, reveal) -> reveal(reveal));
        show(model.content());
        if (model.revealProperty().get() != null) {
            reveal(model.revealProperty().get());
        }
    }

    /**
     * Shows the hover with its text wrapped to at most {@value #HOVER_MAX_WIDTH} px and the screen's size, then
     * lets the popup's auto-fix move it onto the screen: a hover that runs off the edge hides what it explains.
     */
    private void showHover(String text, double x, double y) {
        Rectangle2D screen = Screen.getScreensForRectangle(x, y, 1, 1).stream().findFirst()
                .orElse(Screen.getPrimary()).getVisualBounds();
        hoverText.setText(text);
        hoverText.setPrefSize(Region.USE_COMPUTED_SIZE, Region.USE_COMPUTED_SIZE);
        hoverText.setMaxSize(Region.USE_COMPUTED_SIZE, Region.USE_COMPUTED_SIZE);
        hover.show(area, x, y);
        hoverText.applyCss(); // measured in the popup's scene, with the font its stylesheet gives
        double width = Math.min(hoverText.prefWidth(-1), Math.min(HOVER_MAX_WIDTH, screen.getWidth() - 2 * HOVER_MARGIN));
        double height = Math.min(hoverText.prefHeight(width), screen.getHeight() - 2 * HOVER_MARGIN);
        hoverText.setPrefSize(width, height);
        hoverText.setMaxSize(width, height);
    }

    /** The hover popup, for tests that check it is on screen. */
    public Popup hover() {
        return hover;
    }

    public EditorViewModel model() {
        return model;
    }

    /** The RichTextFX area, for tests that read what is painted. */
    public CodeArea area() {
        return area;
    }

    public void showFindBar() {
        setBottom(findBar);
        findField.requestFocus();
        findField.selectAll();
    }

    public void hideFindBar() {
        setBottom(null);
        area.requestFocus();
    }

    private void show(EditorContent content) {
        if (content == null) {
            placeholder.setVisible(true);
            return;
        }
        // What the user set in the text shown, kept when it is shown anew (the sources unpacked, a restyle): read
        // before the replace, which moves the caret to its end and reports that to the model; across the time the
        // file was unavailable too (a tarball not in name order has it only once the whole unpack has ended).
        boolean wasUnavailable = area.getLength() == 0;
        Kept kept = wasUnavailable ? keptWhileUnavailable : Kept.of(area);
        shown++;
        boolean empty = content.lineCount() == 0;
        if (!empty && kept == null && AfterPulses.onScreen(this)) {
            layOutInTwoPulses();
        }
        // One replace of the whole document: the styled document was built off the FX thread.
        area.replace(0, area.getLength(), content.document());
        placeholder.setText(empty ? "" : "Loading\u2026");
        placeholder.setVisible(empty || splitting);
        String warning = content.banner();
        banner.setText(warning == null ? "" : warning);
        boolean canLocate = empty && locate != null;
        locateButton.setVisible(canLocate);
        locateButton.setManaged(canLocate);
        setTop(warning == null ? null : bannerBox);
        keptWhileUnavailable = empty ? kept : null;
        if (empty) {
            return;
        }
        if (kept != null && wasUnavailable) {
            restoreAfterTheFirstLayout(kept);
            return;
        }
        if (kept != null) {
            kept.restore(area);
            return;
        }
        int caret = Math.min(model.caretLineProperty().get(), content.lineCount()) - 1;
        area.moveTo(Math.max(0, caret), 0);
    }

    /**
     * The first lines of a file in a window on screen are laid out in two pulses, the editor hidden in the first: the
     * top half of the viewport's paragraphs there, the rest in the next, when the editor shows. A screenful's cells
     * (paragraph, gutter, their CSS and text layout) in one pulse were 35-45 ms of the FX thread, the start's worst.
     * The flow keeps its place as it grows: a paragraph revealed now is centred in the whole height (the area's height
     * is still the whole one until the next layout), so the first half shows the paragraphs above it. Not before the
     * editor has a height, nor again while a split is under way: its half height is no height to go back to (a file
     * shown, unavailable and shown again in one pulse left the editor half as high for good).
     */
    private void layOutInTwoPulses() {
        double height = scroll.getHeight();
        if (height <= 0 || splitting) {
            return;
        }
        splitting = true;
        double maxHeight = scroll.getMaxHeight();
        scroll.setMaxHeight(Math.ceil(height / 2));
        scroll.setOpacity(0);
        // After this pulse has laid out the first half: the rest goes to the next one.
        AfterPulses.afterNext(() -> {
            scroll.setMaxHeight(maxHeight);
            scroll.setOpacity(1);
            splitting = false;
            EditorContent shown = model.content();
            placeholder.setVisible(shown == null || shown.lineCount() == 0);
        });
    }

    /**
     * Restores what was kept across the time the file was unavailable: the flow knows the heights and widths of the
     * new text's lines only once it has laid them out (set before, the scroll stayed at the top left), so the scroll
     * is set after the next pulse, the editor transparent until then rather than shown at the file's top for a frame.
     */
    private void restoreAfterTheFirstLayout(Kept kept) {
        kept.restoreSelection(area);
        scroll.setOpacity(0);
        int restoring = shown;
        AfterPulses.afterNext(() -> {
            if (shown == restoring) { // not when the file was shown anew meanwhile: that show kept its own
                kept.restoreScroll(area);
            }
            scroll.setOpacity(1);
        });
    }

    /**
     * The caret, the selection's other end (as line and column: the text may differ in length) and the scroll
     * position, both ways, of the text shown. Restored after a new document replaced it, each clamped to the new text.
     */
    private record Kept(int caretLine, int caretColumn, int anchorLine, int anchorColumn, double scrollX,
                        double scrollY) {
        static Kept of(CodeArea area) {
            TwoDimensional.Position anchor = area.offsetToPosition(area.getAnchor(), TwoDimensional.Bias.Forward);
            return new Kept(area.getCurrentParagraph(), area.getCaretColumn(), anchor.getMajor(), anchor.getMinor(),
                    area.getEstimatedScrollX(), area.getEstimatedScrollY());
        }

        void restore(CodeArea area) {
            restoreSelection(area);
            restoreScroll(area);
        }

        void restoreSelection(CodeArea area) {
            area.selectRange(offset(area, anchorLine, anchorColumn), offset(area, caretLine, caretColumn));
        }

        void restoreScroll(CodeArea area) {
            area.estimatedScrollXProperty().setValue(scrollX);
            area.estimatedScrollYProperty().setValue(scrollY);
        }

        private static int offset(CodeArea area, int line, int column) {
            int paragraph = Math.min(line, area.getParagraphs().size() - 1);
            return area.getAbsolutePosition(paragraph, Math.min(column, area.getParagraphLength(paragraph)));
        }
    }

    private void reportCaret() {
        model.caretMovedTo(area.getCurrentParagraph() + 1, area.getCaretColumn() + 1);
    }

    private void reveal(Reveal reveal) {
        if (reveal == null || area.getParagraphs().size() < reveal.line()) {
            return;
        }
        int paragraph = reveal.line() - 1;
        area.requestFocus();
        area.moveTo(paragraph, reveal.column());
        if (reveal.length() > 0) {
            area.selectRange(paragraph, reveal.column(), paragraph, reveal.column() + reveal.length());
        }
        area.showParagraphAtCenter(paragraph);
    }
}
