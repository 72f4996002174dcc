package dev.kcovexplorer.app.live;

import dev.kcovexplorer.app.model.ModuleRuns;
import dev.kcovexplorer.app.model.modules.ModulePlacement;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A live collection as one run of a session, {@value #LABEL} unless told another label: rewritten whenever the coverage changes, so
 * every view of the session follows, and always converging to everything received.
 *
 * <p>Updates come several times a second, and attributing one can take longer than that on a busy machine.
 * So a write is never cancelled and never overtaken: a change while a write runs marks the run stale, and
 * the one write that follows takes the data as it is then. Which run is the live one is decided on the
 * writer's thread at the moment of writing, by the data it wrote last (the run made from it, whatever its
 * colour), never by a callback that a newer change could overtake or drop: that is what once split one live
 * session into {@code live}, {@code live_2} … {@code live_8}. A run the user renamed away stays theirs and
 * {@value #LABEL} starts again; a run the user gave the label to stays theirs and the live run takes a free one.
 */
public final class LiveSessionRun implements AutoCloseable {
    /** The label the live run takes when the session has no run of that name. */
    public static final String LABEL = "live";

    /** Hears of each write, on the writer's thread. */
    public interface Listener {
        /** A write into {@code session} begins: the live run is being updated. */
        default void writing(Session session) {
        }

        void written(Session session, SessionRun run);

        void failed(Session session, RuntimeException error);

        /**
         * Live PCs had to be left out of the run: they lie in a module this session has no index for, or
         * where the agent's layout places no module (one loaded since it was read, which is read again). Said
         * once per module (or once for PCs in no module) until the session changes, never silently.
         */
        default void leftOut(Session session, String warning) {
        }

        /** The write ended (written, unchanged or failed); {@code more}: another is already due. */
        default void settled(Session session, boolean more) {
        }
    }

    private final LiveCollector collector;
    private final String baseLabel;
    private final Listener listener;
    // One thread that ends when idle, so a window that never closes this leaves no thread behind.
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> {
                Thread thread = new Thread(task, "live-run");
                thread.setDaemon(true);
                return thread;
            });
    private final AtomicBoolean stale = new AtomicBoolean();
    private volatile Session session;
    // Owned by the writer's thread: the session written to, the live run's label there, the data it holds.
    private Session writtenTo;
    private String label;
    private RunInput written;
    /**
     * What the collection held when the session last took it in (as received: module PCs not yet placed at the
     * session's addresses, none left out), or null until then; what {@link #isSettled} compares with the collection.
     */
    private volatile RunInput taken;
    private final Set<String> saidLeftOut = new HashSet<>();
    // Every data written here that a run still holds; weakly, so a session let go of takes its runs' data along.
    private final Set<RunInput> everWritten = Collections.newSetFromMap(new WeakHashMap<>());

    public LiveSessionRun(LiveCollector collector, Listener listener) {
        this(collector, LABEL, listener);
    }

    /**
     * A live run labelled {@code baseLabel} (or a free label from it): several collections, each its own run
     * ("live usb", "live vhost"), paint their sources apart.
     */
    public LiveSessionRun(LiveCollector collector, String baseLabel, Listener listener) {
        writer.allowCoreThreadTimeOut(true);
        this.collector = collector;
        this.baseLabel = baseLabel;
        this.listener = listener;
        collector.observe(Runnable::run, new LiveCollector.Observer() {
            @Override
            public void updated(LiveCollector.Tick tick) {
                if (tick.coverageChanged()) {
                    changed();
                }
            }

            @Override
            public void modulesKnown(ModuleLayout layout) {
                changed(); // module PCs that could not be placed yet can be now
            }
        });
    }

    /** The session the live run belongs to from now on (null: none); coverage already received goes into it. */
    public void show(Session shown) {
        session = shown;
        if (shown != null && !collector.isEmpty()) {
            changed();
        } else {
            // Nothing to write, but the writer lets go of the session it wrote to: the window may never show it
            // again, and a window lives for many sessions (a reset before opening another kept the first).
            onWriter(() -> writeTo(session));
        }
    }

    private void changed() {
        if (!stale.getAndSet(true)) {
            onWriter(this::write);
        }
    }

    private void onWriter(Runnable task) {
        try {
            writer.execute(task);
        } catch (RejectedExecutionException closed) {
            // closed: no session to write to any more
        }
    }

    private void write() {
        stale.set(false); // before the data is taken: a change from now on asks for another write
        Session target = session;
        if (target == null) {
            return;
        }
        listener.writing(target);
        try {
            SessionRun run = put(target);
            if (run != null) {
                listener.written(target, run);
            }
        } catch (RuntimeException e) {
            listener.failed(target, e);
        } finally {
            listener.settled(target, stale.get());
        }
    }

    /** Writes the live run into {@code target}; null when it already holds exactly this coverage. */
    private SessionRun put(Session target) {
        writeTo(target);
        while (true) {
            if (label == null) {
                label = target.freeLabel(baseLabel);
                written = null;
            }
            RunInput received = collector.freeze(label);
            RunInput data = relocated(received, target);
            if (written != null && sameCoverage(written, data)
                    && target.run(label).filter(run -> run.isMadeFrom(written)).isPresent()) {
                taken = received;
                return null; // hit counts announced after the write that already held them: the session has it all
            }
            if (written != null) {
                Optional<SessionRun> replaced = target.replaceRunData(label, written, data);
                if (replaced.isPresent()) {
                    wrote(data, received);
                    return replaced.get();
                }
                written = null; // renamed away or removed: the label starts a new live run
                if (target.run(label).isPresent()) {
                    label = null; // given to another run: a free label
                }
                continue;
            }
            try {
                SessionRun added = target.addRun(data);
                wrote(data, received);
                return added;
            } catch (IllegalArgumentException refused) {
                if (target.run(label).isEmpty()) {
                    throw refused;
                }
                label = null; // taken since it was chosen
            }
        }
    }

    private void wrote(RunInput data, RunInput received) {
        written = data;
        everWritten.add(data);
        taken = received;
    }

    /**
     * On the writer's thread: {@code target} is the session written to from now on. Nothing of another session is kept,
     * unless {@code target} holds the live run itself, made from data written here: a session that runs brought modules
     * to ({@link Session#withModules}) carries its runs over, and the live run goes on as that run, not as a second one
     * beside it ("live_2"). Made from any data written here, not only the last: the live run went on in the session the
     * new one was made from while the modules were being indexed.
     */
    private void writeTo(Session target) {
        if (target == writtenTo) {
            return;
        }
        Optional<RunInput> carriedOver = target == null || label == null ? Optional.empty()
                : target.run(label).flatMap(run -> everWritten.stream().filter(run::isMadeFrom).findFirst());
        writtenTo = target;
        saidLeftOut.clear();
        taken = null; // this session has taken nothing in yet
        written = carriedOver.orElse(null);
        if (carriedOver.isEmpty()) {
            label = null;
        }
    }

    /**
     * The live kernel's module PCs where the session has its modules, by the layout the agent reported;
     * PCs in module space it does not place (a module loaded since it was read) make the collector read
     * it again, and are left out until then.
     */
    private RunInput relocated(RunInput raw, Session target) {
        ModuleRuns.Relocated moved;
        try {
            moved = ModuleRuns.relocate(raw, collector.moduleLayout(), target.modules(),
                    ModuleRuns.KernelExtent.of(target.kernelIndex()));
        } catch (IllegalArgumentException noLayout) {
            collector.refreshModuleLayout();
            throw noLayout;
        }
        if (moved.unplaced() > 0) {
            collector.refreshModuleLayout();
            sayLeftOut(target, moved);
        }
        return moved.input();
    }

    private void sayLeftOut(Session target, ModuleRuns.Relocated moved) {
        ModuleLayout layout = collector.moduleLayout();
        String module = layout == null ? null : ModulePlacement.nearestBelow(layout, moved.firstUnplaced());
        boolean lacked = module != null && target.modules().indexOf(module) < 0;
        if (!saidLeftOut.add(lacked ? module : "")) {
            return;
        }
        String first = moved.unplaced() + " live PCs (the first 0x" + Long.toHexString(moved.firstUnplaced()) + ")";
        listener.leftOut(target, lacked
                ? first + " lie in module " + module + ", which this session has no index for: they are left out;"
                        + " create the session with --modules DIR where " + module + ".ko is"
                : first + " lie in module space where the agent's layout places no module the session has: they"
                        + " are left out (the layout is read again, in case a module was loaded since)");
    }

    /**
     * Whether the session shown holds everything received: no write due or running, and the last write took
     * what the collection holds now (or nothing was received). A hands-free demo saves once this holds.
     */
    public boolean isSettled() {
        if (stale.get() || writer.getActiveCount() > 0 || !writer.getQueue().isEmpty()) {
            return false;
        }
        if (session == null || collector.isEmpty()) {
            return true;
        }
        // As received on both sides: what the run holds has module PCs placed and some perhaps left out, so compared
        // with the collection it never matched for a kernel with modules.
        RunInput last = taken;
        RunInput now = collector.freeze(baseLabel);
        return last != null && last.entries() == now.entries() && Arrays.equals(last.uniquePcs(), now.uniquePcs())
                && Arrays.equals(last.hitCounts(), now.hitCounts());
    }

    private static boolean sameCoverage(RunInput a, RunInput b) {
        return a.entries() == b.entries() && a.overflow() == b.overflow()
                && Objects.equals(a.remoteSource(), b.remoteSource())
                && Arrays.equals(a.uniquePcs(), b.uniquePcs()) && Arrays.equals(a.hitCounts(), b.hitCounts());
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
