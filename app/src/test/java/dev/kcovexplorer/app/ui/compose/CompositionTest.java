package dev.kcovexplorer.app.ui.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompositionTest {
    @Test
    void openingASessionPicksDiffDefaultsThatLeaveTheUnionAsItWas() {
        CompositionViewModel model = new CompositionViewModel();
        Composition before = model.compositionProperty().get();
        model.setRuns(List.of("usb", "vhost"), List.of("pc", "pc"), text -> null);
        Composition after = model.compositionProperty().get();
        assertThat(after).isNotEqualTo(before); // A and B were filled in
        assertThat(after.showsSameAs(before)).isTrue();
    }

    @Test
    void whatEachModeShowsMattersAndNothingElse() {
        Composition union = new Composition("", false, "a", "b");
        assertThat(union.showsSameAs(new Composition("", false, "c", "d"))).isTrue();
        assertThat(union.showsSameAs(new Composition("a - b", false, "a", "b"))).isFalse();
        assertThat(union.showsSameAs(new Composition("", true, "a", "b"))).isFalse();

        Composition diff = new Composition("a", true, "a", "b");
        assertThat(diff.showsSameAs(new Composition("b", true, "a", "b"))).isTrue();
        assertThat(diff.showsSameAs(new Composition("a", true, "b", "a"))).isFalse();
        assertThat(diff.showsSameAs(new Composition("a", true, "a", "c"))).isFalse();
        assertThat(diff.showsSameAs(new Composition("a", false, "a", "b"))).isFalse();
    }
}
