package dev.kcovexplorer.app.ui.editor;

import static dev.kcovexplorer.app.ui.editor.LineMark.COVERED;
import static dev.kcovexplorer.app.ui.editor.LineMark.NOT_INSTRUMENTED;
import static dev.kcovexplorer.app.ui.editor.LineMark.PARTIAL;
import static dev.kcovexplorer.app.ui.editor.LineMark.UNCOVERED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EditorViewModelTest {
    private static final String[] LINES = {
        "static void hub_event(struct work_struct *work)",   // 1
        "{",                                                  // 2
        "\tkcov_remote_start_usb((u64)hdev->bus->busnum);",  // 3 covered
        "\tif (hub->disconnected)",                          // 4 uncovered
        "\t\tgoto out_hdev_lock;",                           // 5 uncovered
        "\tif (hub->error) {",                               // 6 partial
        "\t\thub_port_status(hub, 1, &status, &change);",   // 7 covered
        "\t}",                                                // 8
        "\tkcov_remote_stop();",                             // 9 uncovered
        "}",                                                  // 10
    };
    private static final LineMark[] MARKS = {
        NOT_INSTRUMENTED, NOT_INSTRUMENTED, COVERED, UNCOVERED, UNCOVERED, PARTIAL, COVERED, NOT_INSTRUMENTED,
        UNCOVERED, NOT_INSTRUMENTED,
    };

    private EditorViewModel editor() {
        EditorViewModel editor = new EditorViewModel("drivers/usb/core/hub.c");
        editor.show(EditorContent.build("drivers/usb/core/hub.c", LINES, MARKS, new int[LINES.length],
                LineDetails.NONE, null));
        return editor;
    }

    @Test
    void opensOnTheFirstLineThatRan() {
        EditorViewModel editor = editor();
        assertThat(editor.revealProperty().get().line()).isEqualTo(3);
        assertThat(editor.title()).isEqualTo("hub.c");
    }

    @Test
    void f2JumpsToTheNextUncoveredBlockAndWraps() {
        EditorViewModel editor = editor();
        assertThat(editor.nextAttentionLine()).isTrue();
        assertThat(editor.caretLineProperty().get()).isEqualTo(4);
        editor.nextAttentionLine();
        assertThat(editor.caretLineProperty().get()).as("skips the rest of the block 4-6").isEqualTo(9);
        editor.nextAttentionLine();
        assertThat(editor.caretLineProperty().get()).as("wraps to the top").isEqualTo(4);
        editor.previousAttentionLine();
        assertThat(editor.caretLineProperty().get()).isEqualTo(9);
    }

    @Test
    void findWalksMatchesCaseInsensitivelyAndSaysWhenThereIsNone() {
        EditorViewModel editor = editor();
        editor.goToLine(1);
        assertThat(editor.find("KCOV_remote", true)).isTrue();
        assertThat(editor.revealProperty().get()).isEqualTo(new Reveal(3, 1, 11));
        assertThat(editor.find("kcov_remote", true)).isTrue();
        assertThat(editor.revealProperty().get().line()).isEqualTo(9);
        assertThat(editor.find("kcov_remote", false)).isTrue();
        assertThat(editor.revealProperty().get().line()).isEqualTo(3);
        assertThat(editor.find("vhost_worker", true)).isFalse();
        assertThat(editor.noticeProperty().get()).isEqualTo("'vhost_worker' not found in hub.c");
    }

    /**
     * The Demo VM opens hub.c before the plug: nothing has run yet, so the tab stays at line 1. When the first batch
     * paints it, the tab goes to the first line that ran, as a tab opened then would (it stayed at line 1, and
     * {@code demo --view editor:PATH} snapshots showed hub.c's licence header); from then on the caret stays put.
     */
    @Test
    void aTabOpenedBeforeAnythingRanRevealsTheFirstLineThatRuns() {
        EditorViewModel editor = new EditorViewModel("drivers/usb/core/hub.c");
        editor.show(nothingRan());
        assertThat(editor.revealProperty().get()).isNull();
        editor.caretMovedTo(LINES.length, 1); // the view installing the text puts the caret at its end

        editor.show(content());
        assertThat(editor.revealProperty().get().line()).isEqualTo(3);
        assertThat(editor.caretLineProperty().get()).isEqualTo(3);

        editor.caretMovedTo(9, 2);
        editor.show(content());
        assertThat(editor.caretLineProperty().get()).as("revealed once, then left where the user put it").isEqualTo(9);
    }

    @Test
    void aTabNavigatedBeforeAnythingRanStaysWhereItWasPut() {
        EditorViewModel editor = new EditorViewModel("drivers/usb/core/hub.c");
        editor.show(nothingRan());
        editor.goToLine(5);

        editor.show(content());
        assertThat(editor.revealProperty().get().line()).isEqualTo(5);
        assertThat(editor.caretLineProperty().get()).isEqualTo(5);
    }

    private static EditorContent content() {
        return EditorContent.build("drivers/usb/core/hub.c", LINES, MARKS, new int[LINES.length], LineDetails.NONE,
                null);
    }

    private static EditorContent nothingRan() {
        LineMark[] marks = MARKS.clone();
        for (int i = 0; i < marks.length; i++) {
            if (marks[i].ran()) {
                marks[i] = LineMark.NOT_EXECUTED;
            }
        }
        return EditorContent.build("drivers/usb/core/hub.c", LINES, marks, new int[LINES.length], LineDetails.NONE,
                null);
    }

    @Test
    void aLineAskedForBeforeTheContentArrivesIsRevealedOnArrival() {
        EditorViewModel editor = new EditorViewModel("drivers/usb/core/hub.c");
        editor.goToLine(7);
        assertThat(editor.revealProperty().get()).isNull();
        editor.show(EditorContent.build("drivers/usb/core/hub.c", LINES, MARKS, new int[LINES.length],
                LineDetails.NONE, null));
        assertThat(editor.revealProperty().get().line()).isEqualTo(7);
    }

    @Test
    void remoteSectionCallsAreMarkedButTheirDefinitionIsNot() {
        String[] lines = {"void kcov_remote_start(u64 handle)", "\tkcov_remote_start_usb_softirq(bus);",
            "\tkcov_remote_stop_softirq();", "\tremote_start(x);"};
        assertThat(RemoteCallsInText.scan(lines).stream().toArray()).containsExactly(1, 2);
    }

    @Test
    void documentHasOneParagraphPerLineStyledWithItsMark() {
        EditorContent content = EditorContent.build("x.c", LINES, MARKS, new int[LINES.length], LineDetails.NONE, null);
        var paragraphs = content.document().getParagraphs();
        assertThat(paragraphs).hasSize(LINES.length);
        for (int i = 0; i < LINES.length; i++) {
            assertThat(paragraphs.get(i).getText()).isEqualTo(LINES[i]);
            assertThat(paragraphs.get(i).getParagraphStyle()).contains(MARKS[i].styleClass());
        }
        assertThat(paragraphs.get(2).getParagraphStyle()).contains("remote-section-call");
    }
}
