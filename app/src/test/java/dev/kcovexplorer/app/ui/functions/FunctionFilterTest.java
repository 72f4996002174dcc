package dev.kcovexplorer.app.ui.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Functions window's filter: words against name, file and module, and coverage classes. */
class FunctionFilterTest {
    private static final FunctionRow HUB_EVENT = new FunctionRow("hub_event", "drivers/usb/core/hub.c", 5830, 73, 236, 32, 0, 0);
    private static final FunctionRow HUB_INIT = new FunctionRow("hub_port_init", "drivers/usb/core/hub.c", 4800, 197, 197, 4, 0, 0);
    private static final FunctionRow VHOST = new FunctionRow("vhost_worker", "drivers/vhost/vhost.c", 370, 0, 12, 0, 0, 3,
            "vhost");
    private static final List<FunctionRow> ROWS = List.of(HUB_EVENT, HUB_INIT, VHOST);

    private static List<FunctionRow> keep(String text, FunctionFilter.Shown shown) {
        return new FunctionFilter(text, shown).apply(ROWS);
    }

    @Test
    void everyWordMustBeInTheNameOrTheFileInAnyOrderAndCase() {
        assertThat(keep("HUB usb/core", FunctionFilter.Shown.ALL)).containsExactly(HUB_EVENT, HUB_INIT);
        assertThat(keep("event hub.c", FunctionFilter.Shown.ALL)).containsExactly(HUB_EVENT);
        assertThat(keep("vhost event", FunctionFilter.Shown.ALL)).isEmpty();
        assertThat(keep("  ", FunctionFilter.Shown.ALL)).isSameAs(ROWS);
    }

    @Test
    void coverageClassesFollowThePoints() {
        assertThat(keep("", FunctionFilter.Shown.REACHED)).containsExactly(HUB_EVENT, HUB_INIT);
        assertThat(keep("", FunctionFilter.Shown.FULL)).containsExactly(HUB_INIT);
        assertThat(keep("", FunctionFilter.Shown.PARTIAL)).containsExactly(HUB_EVENT);
        assertThat(keep("", FunctionFilter.Shown.MISSED)).containsExactly(VHOST);
        assertThat(keep("", FunctionFilter.Shown.CHANGED)).containsExactly(VHOST);
        assertThat(keep("hub", FunctionFilter.Shown.MISSED)).isEmpty();
    }

    @Test
    void aWordMayNameTheModule() {
        assertThat(keep("vhost worker", FunctionFilter.Shown.ALL)).containsExactly(VHOST);
        assertThat(keep("vmlinux", FunctionFilter.Shown.ALL)).containsExactly(HUB_EVENT, HUB_INIT);
        assertThat(keep("vmlinux vhost", FunctionFilter.Shown.ALL)).isEmpty();
    }
}
