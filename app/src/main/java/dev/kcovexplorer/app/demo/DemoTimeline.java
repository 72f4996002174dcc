package dev.kcovexplorer.app.demo;

import dev.kcovexplorer.app.model.RunInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The demo's actions on a time line, each with the coverage that arrived from it until the next one. Two
 * live collections feed it (the USB buses and the vhost common handle); an action's own coverage comes from
 * the source it acts on. Only snapshots of the current action are kept whole; an action that is over keeps
 * just the PCs of its interval, and the time line keeps the newest {@value #MAX_MARKERS} actions, so a long
 * demo loop does not grow.
 */
final class DemoTimeline {
    static final int MAX_MARKERS = 200;

    /** Which live collection a snapshot is taken of. */
    enum Source { USB, VHOST }

    private static final class Entry {
        final int id;
        final double seconds;
        final DemoAction action;
        final long entriesAt;
        final long lossesAt;
        RunInput sourceAt;   // the acted-on source's snapshot at the action, while current
        RunInput interval;   // its coverage until the next action, once over
        long pcs;
        boolean lost;

        Entry(int id, double seconds, DemoAction action, long entriesAt, long lossesAt, RunInput sourceAt) {
            this.id = id;
            this.seconds = seconds;
            this.action = action;
            this.entriesAt = entriesAt;
            this.lossesAt = lossesAt;
            this.sourceAt = sourceAt;
        }
    }

    private final Function<Source, RunInput> snapshot;
    private final Function<Source, String> describe;
    private final ToLongFunction<Source> losses;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final RunInput[] frozenAt = new RunInput[Source.values().length];
    private int nextId = 1;

    /**
     * @param snapshot everything a source received so far, as a run (the live collection frozen)
     * @param describe what a source collects, for the runs' remote source ("USB bus 1, USB bus 2")
     * @param losses   how often a source lost coverage so far (overflowed areas, batches that never came)
     */
    DemoTimeline(Function<Source, RunInput> snapshot, Function<Source, String> describe, ToLongFunction<Source> losses) {
        this.snapshot = snapshot;
        this.describe = describe;
        this.losses = losses;
    }

    /**
     * The moment {@code action} begins: both sources' snapshots, taken before the action runs, so what it sets
     * off (a vhost device's setup, an enumeration starting at once) counts as its own.
     */
    record Start(DemoAction action, double seconds, RunInput usb, RunInput vhost, long losses) {
    }

    synchronized Start begin(DemoAction action, double seconds) {
        // Losses first: one that happens while the snapshots are taken then counts for the new action, not
        // silently for none.
        long lossesNow = losses();
        return new Start(action, seconds, snapshot.apply(Source.USB), snapshot.apply(Source.VHOST), lossesNow);
    }

    /** Puts the action begun at {@code start} on the time line; the previous action's interval ends there. */
    synchronized TimelineMarker record(Start start) {
        DemoAction action = start.action();
        RunInput usb = start.usb();
        RunInput vhost = start.vhost();
        Entry previous = entries.peekLast();
        if (previous != null) {
            RunInput now = source(previous.action) == Source.USB ? usb : vhost;
            previous.interval = CoverageInterval.between(previous.sourceAt, now, previous.action.label(),
                    remoteSource(previous));
            previous.pcs = usb.entries() + vhost.entries() - previous.entriesAt;
            previous.lost = start.losses() > previous.lossesAt;
            previous.sourceAt = null;
        }
        Entry entry = new Entry(nextId++, start.seconds(), action, usb.entries() + vhost.entries(), start.losses(),
                source(action) == Source.USB ? usb : vhost);
        entries.addLast(entry);
        if (entries.size() > MAX_MARKERS) {
            entries.removeFirst();
        }
        return marker(entry, snapshot.apply(Source.USB).entries() + snapshot.apply(Source.VHOST).entries(), losses());
    }

    /** The time line as it stands, the newest action's PCs counted until now. */
    synchronized List<TimelineMarker> markers() {
        List<TimelineMarker> markers = new ArrayList<>(entries.size());
        long total = entries.isEmpty() ? 0 : snapshot.apply(Source.USB).entries() + snapshot.apply(Source.VHOST).entries();
        long lossesNow = losses();
        for (Entry entry : entries) {
            markers.add(marker(entry, total, lossesNow));
        }
        return markers;
    }

    /**
     * The coverage of action {@code id} (from it until the next action, or until now) as a run labelled
     * {@code label}; null when the action has left the time line.
     */
    synchronized RunInput interval(int id, String label) {
        for (Entry entry : entries) {
            if (entry.id == id) {
                RunInput run = entry.interval != null ? entry.interval
                        : CoverageInterval.between(entry.sourceAt, snapshot.apply(source(entry.action)),
                                entry.action.label(), remoteSource(entry));
                return relabel(run, label);
            }
        }
        return null;
    }

    /** What arrived from both sources since the previous call (or since the start), as a run labelled {@code label}. */
    synchronized RunInput sinceLastFreeze(String label) {
        RunInput usb = snapshot.apply(Source.USB);
        RunInput vhost = snapshot.apply(Source.VHOST);
        String from = "live demo: " + describe.apply(Source.USB) + "; " + describe.apply(Source.VHOST);
        RunInput run = CoverageInterval.union(
                CoverageInterval.between(frozenAt[Source.USB.ordinal()], usb, label, from),
                CoverageInterval.between(frozenAt[Source.VHOST.ordinal()], vhost, label, from), label, from);
        frozenAt[Source.USB.ordinal()] = usb;
        frozenAt[Source.VHOST.ordinal()] = vhost;
        return run;
    }

    private TimelineMarker marker(Entry entry, long totalNow, long lossesNow) {
        boolean current = entry == entries.peekLast();
        return new TimelineMarker(entry.id, entry.seconds, entry.action.label(), entry.action.isVhost(),
                current ? totalNow - entry.entriesAt : entry.pcs, current,
                current ? lossesNow > entry.lossesAt : entry.lost);
    }

    private long losses() {
        return losses.applyAsLong(Source.USB) + losses.applyAsLong(Source.VHOST);
    }

    private String remoteSource(Entry entry) {
        return String.format(Locale.ROOT, "live demo: %s at %.1f s, %s", entry.action.label(), entry.seconds,
                describe.apply(source(entry.action)));
    }

    private static Source source(DemoAction action) {
        return action.isVhost() ? Source.VHOST : Source.USB;
    }

    private static RunInput relabel(RunInput run, String label) {
        return new RunInput(label, run.colour(), run.remoteSource(), run.mode(), run.sourceFile(), run.entries(),
                run.overflow(), run.uniquePcs(), run.hitCounts(), run.reading());
    }
}
