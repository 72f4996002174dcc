package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A dead bus is told from the connections alone: {@value DeadBus#SILENT_CONNECTIONS} in a row without a request,
 * or {@value DeadBus#HELD_ROOT_HUBS} unplug waits in a row that gave up on the root hub; anything a live bus does
 * in between starts the count again.
 */
class DeadBusTest {
    @Test
    void sixSilentConnectionsInARowSayTheBusIsDead() {
        DeadBus bus = new DeadBus();
        assertThat(bus.suspicious()).isFalse();
        for (int i = 1; i < DeadBus.SILENT_CONNECTIONS; i++) {
            assertThat(bus.record(0, false)).as("connection %d", i).isNull();
            assertThat(bus.suspicious()).isTrue();
        }
        assertThat(bus.record(0, false)).isEqualTo("the bus answered no request in 6 connections in a row");
    }

    @Test
    void twoRootHubGiveUpsInARowSayTheBusIsDead() {
        DeadBus bus = new DeadBus();
        assertThat(bus.record(12, true)).isNull();
        assertThat(bus.suspicious()).isTrue();
        assertThat(bus.record(3, false)).isNull();
        assertThat(bus.suspicious()).isFalse();
        assertThat(bus.record(0, true)).isNull();
        assertThat(bus.record(0, true))
                .isEqualTo("hub_event held the root hub past the unplug wait's limit 2 times in a row");
    }

    /** The verdict depends only on the runs at the end: it comes exactly when a run is long enough. */
    @Property(tries = 500)
    void theVerdictComesExactlyWhenARunIsLongEnough(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 2) Integer> requests,
            @ForAll @Size(max = 40) List<Boolean> held) {
        DeadBus bus = new DeadBus();
        int silent = 0;
        int heldRun = 0;
        for (int i = 0; i < Math.min(requests.size(), held.size()); i++) {
            silent = requests.get(i) == 0 ? silent + 1 : 0;
            heldRun = held.get(i) ? heldRun + 1 : 0;
            String verdict = bus.record(requests.get(i), held.get(i));
            assertThat(verdict != null)
                    .isEqualTo(silent >= DeadBus.SILENT_CONNECTIONS || heldRun >= DeadBus.HELD_ROOT_HUBS);
            assertThat(bus.suspicious()).isEqualTo(silent > 0 || heldRun > 0);
        }
    }
}
