package dev.kcovexplorer.app.ui.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import org.junit.jupiter.api.Test;

/** The Live window's start form: what people type becomes a plan, or a sentence naming the field. */
class CollectionFormTest {

    private static CollectionForm form(String buses, String common, String area) {
        return new CollectionForm(TraceMode.PC, buses, common, area, false, true);
    }

    @Test
    void busesCommonHandleAndAreaAsTyped() {
        CollectionPlan plan = form(" 1, 2 3", "0x42", "64K").toPlan();

        assertThat(plan.usbBuses()).containsExactly(1, 2, 3);
        assertThat(plan.commonHandle()).isEqualTo(0x42);
        assertThat(plan.areaWords()).isEqualTo(64 * 1024);
        assertThat(plan.keepOnDisconnect()).isTrue();
        assertThat(form("1", "", "").toPlan().areaWords()).isEqualTo(CollectionPlan.DEFAULT_AREA_WORDS);
        assertThat(form("", "66", "1M").toPlan().commonHandle()).isEqualTo(66);
    }

    @Test
    void mistakesNameTheFieldAndWhatWasExpected() {
        assertThatThrownBy(() -> form("1, two", "", "").toPlan()).hasMessage(
                "USB buses: 'two' is not a bus number (expected e.g. 1, 2)");
        assertThatThrownBy(() -> form("1", "0xZZ", "").toPlan()).hasMessage(
                "Common handle: '0xZZ' is not a number (expected e.g. 0x42)");
        assertThatThrownBy(() -> form("1", "", "lots").toPlan()).hasMessage(
                "Area size: 'lots' is not a word count (expected e.g. 1M or 65536)");
        assertThatThrownBy(() -> form("1", "", "17592186044417M").toPlan()).hasMessage(
                "Area size: '17592186044417M' is more than kcov accepts (at most 268435455 words)");
        assertThatThrownBy(() -> form("", "", "").toPlan()).hasMessage(
                "Nothing to collect: give USB buses (e.g. 1, 2) or a common handle (e.g. 0x42)");
        assertThatThrownBy(() -> form("0", "", "").toPlan()).hasMessageStartingWith("USB bus 0");
        assertThatThrownBy(() -> form("1", "", "1").toPlan()).hasMessageStartingWith("Area size 1 words");
    }
}
