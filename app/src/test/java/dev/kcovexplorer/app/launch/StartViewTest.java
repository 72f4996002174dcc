package dev.kcovexplorer.app.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code --view} words, parsed without a window (the CLI checks them before launching one). */
class StartViewTest {
    @Test
    void eachKindOfViewIsParsed() {
        assertThat(StartView.parse(null)).isEqualTo(new StartView("tree", null, null, null));
        assertThat(StartView.parse("tree")).isEqualTo(new StartView("tree", null, null, null));
        assertThat(StartView.parse("live")).isEqualTo(new StartView("live", null, null, null));
        assertThat(StartView.parse("editor:drivers/usb/core/hub.c"))
                .isEqualTo(new StartView("editor", "drivers/usb/core/hub.c", null, null));
        assertThat(StartView.parse("editor:drivers/usb/core/hub.c@hub_event"))
                .isEqualTo(new StartView("editor", "drivers/usb/core/hub.c", "hub_event", null));
        assertThat(StartView.parse("diff:basic, extended")).isEqualTo(new StartView("diff", "basic", null, "extended"));
    }

    @Test
    void aMistakeNamesWhatIsAccepted() {
        assertThatThrownBy(() -> StartView.parse("diff:basic"))
                .hasMessage("--view must be tree, editor:PATH[@FUNCTION], diff:A,B or live, not 'diff:basic'");
        assertThatThrownBy(() -> StartView.parse("editor:"))
                .hasMessage("--view must be tree, editor:PATH[@FUNCTION], diff:A,B or live, not 'editor:'");
    }
}
