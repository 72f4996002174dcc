package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The time line marks the actions during which a source lost coverage (its kernel area overflowed, batches never
 * came), and only those: a loss during one action does not taint the next, nor one before it.
 */
class DemoTimelineTest {
    private final Map<DemoTimeline.Source, Long> entries = new EnumMap<>(Map.of(DemoTimeline.Source.USB, 0L,
            DemoTimeline.Source.VHOST, 0L));
    private final Map<DemoTimeline.Source, Long> losses = new EnumMap<>(Map.of(DemoTimeline.Source.USB, 0L,
            DemoTimeline.Source.VHOST, 0L));
    private final DemoTimeline timeline = new DemoTimeline(this::snapshot, source -> source.name(), losses::get);

    private RunInput snapshot(DemoTimeline.Source source) {
        long n = entries.get(source);
        long[] pcs = n == 0 ? new long[0] : new long[] {0xffffffff81000000L + source.ordinal()};
        int[] hits = n == 0 ? new int[0] : new int[] {(int) n};
        return new RunInput("snapshot", null, source.name(), TraceMode.PC.id(), null, n, losses.get(source) > 0, pcs,
                hits, PcKind.RETURN_ADDRESS);
    }

    private void arrive(DemoTimeline.Source source, long pcs, long lost) {
        entries.merge(source, pcs, Long::sum);
        losses.merge(source, lost, Long::sum);
    }

    private void act(DemoAction action, double seconds) {
        timeline.record(timeline.begin(action, seconds));
    }

    @Test
    void anActionDuringWhichCoverageWasLostIsMarkedWhileCurrentAndAfter() {
        act(DemoAction.plug(DemoDevice.KEYBOARD), 1);
        arrive(DemoTimeline.Source.USB, 500, 0);
        act(DemoAction.vhost(true), 2);
        arrive(DemoTimeline.Source.VHOST, 4_194_303, 1);

        List<TimelineMarker> now = timeline.markers();
        assertThat(now).extracting(TimelineMarker::lost).containsExactly(false, true);
        assertThat(now.get(1).pcs()).isEqualTo(4_194_303);

        arrive(DemoTimeline.Source.VHOST, 1_000, 0);
        act(DemoAction.vhost(false), 3);
        arrive(DemoTimeline.Source.VHOST, 10, 0);
        act(DemoAction.unplug(DemoDevice.KEYBOARD), 4);
        arrive(DemoTimeline.Source.USB, 20, 2);

        assertThat(timeline.markers()).extracting(TimelineMarker::action, TimelineMarker::lost).containsExactly(
                org.assertj.core.groups.Tuple.tuple("usb-kbd plug", false),
                org.assertj.core.groups.Tuple.tuple("vhost on", true),
                org.assertj.core.groups.Tuple.tuple("vhost off", false),
                org.assertj.core.groups.Tuple.tuple("usb-kbd unplug", true));
        // The frozen run of an action says so too, from the source's snapshots.
        assertThat(timeline.interval(now.get(1).id(), "vhost on").overflow()).isTrue();
        assertThat(timeline.interval(now.get(0).id(), "usb-kbd plug").overflow()).isFalse();
    }
}
