package dev.kcovexplorer.kcov.usb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * One emulated device's life on the bus: raw-gadget bound to the UDC, endpoint 0 answered by a
 * {@link ControlResponder} on the gadget thread until the host has been idle for a while after configuring it,
 * the device stopped bringing coverage, or the time budget is spent (then, for a dwelling device, until the host has
 * suspended it: {@link UsbDevice.Dwell}), then the gadget closed, so the host sees it unplugged. The caller's thread is the
 * watchdog: it wakes the gadget thread from its blocking call when the connection is to end, again and again
 * until it has (a wake-up that lands between two calls is lost).
 */
final class GadgetConnection {
    private static final long WATCH_MILLIS = 20;
    private static final long TICK_MILLIS = 100;
    /**
     * How long a dwelling device waits for the host to suspend it, unless told otherwise. With no autosuspend delay a
     * device the host may suspend is suspended within a few ticks; one it may not (usb-storage behind a SCSI scan, a
     * driver without autosuspend) would wait for ever.
     */
    private static final long DWELL_MILLIS = 1000;
    /**
     * How long into a dwell a hub's awake child still may suspend: the dwell allowed every device of the tree at
     * once, and a child that can suspend does so within a few ticks.
     */
    private static final long CHILD_CHANCE_MILLIS = 300;
    /** How long a suspended device stays plugged in: the idle root hub suspends right after it (no delay). */
    private static final long SUSPENDED_HOLD_MILLIS = 200;

    /** What a dwelling device's host did: {@link Result#dwell}. */
    static final String SUSPENDED = "suspended";

    /**
     * What happened on endpoint 0, and to a dwelling device: {@link #SUSPENDED}, or why the host did not suspend
     * it; null when it did not dwell.
     */
    record Result(int requests, int stalls, int failures, boolean configured, String error, String dwell) {
        /** Whether the host suspended the dwelling device. */
        boolean suspended() {
            return SUSPENDED.equals(dwell);
        }

        /** This plug-in and the one {@code again} after it, as one: the counts summed, this one's dwell. */
        Result then(Result again) {
            return new Result(requests + again.requests, stalls + again.stalls, failures + again.failures,
                    configured || again.configured, error != null ? error : again.error, dwell);
        }
    }

    private final Path rawGadget;
    private final DummyUdc udc;
    private final ExecutorService gadgetThread;
    private final HostPower power;
    private final long dwellMillis;

    GadgetConnection(Path rawGadget, DummyUdc udc, ExecutorService gadgetThread) {
        this(rawGadget, udc, gadgetThread, DWELL_MILLIS);
    }

    /**
     * @param dwellMillis how long a dwelling device waits for the host to suspend it ({@link #DWELL_MILLIS}): a fuzzer
     *                    gives up soon, one that checks the suspend waits as long as a slow guest (TCG on a busy
     *                    machine) may take, since the dwell ends as soon as the host has suspended the device
     */
    GadgetConnection(Path rawGadget, DummyUdc udc, ExecutorService gadgetThread, long dwellMillis) {
        this.rawGadget = rawGadget;
        this.udc = udc;
        this.gadgetThread = gadgetThread;
        this.power = new HostPower(DummyUdc.SYSFS, udc);
        this.dwellMillis = dwellMillis;
    }

    /**
     * Plugs {@code device} in and serves it for at most {@code budgetMillis}, {@code idleMillis} past the last
     * request once configured, and {@code stallMillis} past the last time it reached something new; a dwelling
     * device ({@link UsbDevice.Dwell}) up to its dwell's limit + {@value #SUSPENDED_HOLD_MILLIS} ms more, and
     * one to be plugged in again, if the host did suspend it, is then served a second time, as long again but
     * without the dwell;
     * {@code reachedNew} is asked on the watchdog's thread every {@value #TICK_MILLIS} ms (it drains the kcov
     * area before it fills up) and answers whether the device reached something new since it was last asked.
     * The stall clock also restarts when the host sends its first request and when it configures the device:
     * what a mutant changed (a report descriptor, a class answer) is often read only by the driver that binds
     * after the configuration, behind an enumeration that reaches nothing new, and a slow host (TCG on a busy
     * machine) may start enumerating only after a stall's time.
     */
    Result serve(UsbDevice device, long budgetMillis, long idleMillis, long stallMillis, BooleanSupplier reachedNew)
            throws IOException, InterruptedException {
        Result first = serveOnce(device, device.dwell() != UsbDevice.Dwell.NONE, budgetMillis, idleMillis,
                stallMillis, reachedNew);
        if (device.dwell() != UsbDevice.Dwell.REPLUG || !first.suspended()) {
            return first;
        }
        // Plugged in again at once, before the host has noticed it was gone: it finds the port connected again
        // under the device it suspended. Only then: a device the host did not suspend is simply plugged in again,
        // what any fresh device does, and a hub whose port reset never ends is served all over again (seed 65:
        // 39.8 s and 15.6 s for two such hubs).
        return first.then(serveOnce(device, false, budgetMillis, idleMillis, stallMillis, reachedNew));
    }

    /**
     * One plug-in of {@code device}, served as {@link #serve} says; with {@code dwell}, where the connection would
     * end (idle, stalled or spent) and the host has the device, it allows the host to suspend it
     * ({@link HostPower}, on a thread of its own while this one goes on watching) and ends
     * {@value #SUSPENDED_HOLD_MILLIS} ms after the host did, or the dwell's limit after it began when it
     * does not (a driver that cannot autosuspend, one the device keeps busy, or a device whose lock hub_event holds
     * so that its power files cannot be written meanwhile), or at once when no suspend can come
     * ({@link HostPower#cannotSuspend}: a hub without remote wakeup, or with an awake child).
     */
    private Result serveOnce(UsbDevice device, boolean dwell, long budgetMillis, long idleMillis, long stallMillis,
                             BooleanSupplier reachedNew) throws IOException, InterruptedException {
        State state = new State();
        long start = System.nanoTime();
        long lastTick = start;
        long lastNews = start;
        boolean stalled = false;
        boolean dwelling = false;
        HostPower.Allowing allowing = null;
        long dwellStart = 0;
        long suspendedSince = 0;
        long lastHopeCheck = 0;
        boolean hopeless = false;
        Future<Result> served = gadgetThread.submit(() -> run(device, state));
        while (!served.isDone()) {
            if (System.nanoTime() - lastTick > TICK_MILLIS * 1_000_000) {
                if (reachedNew.getAsBoolean()) {
                    lastNews = System.nanoTime();
                }
                lastTick = System.nanoTime();
                stalled |= lastTick - Math.max(lastNews, state.milestone) > stallMillis * 1_000_000;
            }
            long now = System.nanoTime();
            boolean spent = now - start > budgetMillis * 1_000_000 || stalled;
            boolean idle = state.configured && now - state.lastEvent > idleMillis * 1_000_000;
            boolean end = spent || idle;
            if (end && dwell && !dwelling) {
                dwell = false;
                // Aside: the power files' stores wait for the device's lock, which hub_event may hold for seconds.
                allowing = power.allowSuspendAside();
                dwellStart = now;
            }
            if (allowing != null) {
                HostPower.Allowed allowed = allowing.result();
                if (allowed != null) {
                    allowing = null;
                    dwelling = allowed.devices() > 0;
                    state.dwell = dwelling ? "not suspended within " + dwellMillis + " ms"
                            : "not suspended: " + allowed.whyNot();
                } else if (now - dwellStart > dwellMillis * 1_000_000) {
                    // Unplugging makes the lock holder's transfers fail, and the writes then return.
                    state.dwell = "not suspended: " + allowing.busy(dwellMillis);
                    allowing = null;
                } else {
                    end = false;
                }
            }
            if (dwelling) {
                if (suspendedSince == 0 && power.suspended()) {
                    suspendedSince = now;
                    state.dwell = SUSPENDED;
                }
                if (suspendedSince == 0 && !hopeless && now - lastHopeCheck > TICK_MILLIS * 1_000_000) {
                    lastHopeCheck = now;
                    String why = power.cannotSuspend(now - dwellStart > CHILD_CHANCE_MILLIS * 1_000_000);
                    if (why != null) {
                        // No suspend can come: the rest of the dwell would be lost time.
                        state.dwell = "not suspended: " + why;
                        hopeless = true;
                    }
                }
                end = suspendedSince != 0 ? now - suspendedSince > SUSPENDED_HOLD_MILLIS * 1_000_000
                        : hopeless || now - dwellStart > dwellMillis * 1_000_000;
            }
            RawGadget gadget = state.gadget;
            if (end && gadget != null) {
                state.stop = true;
                gadget.interrupt();
            }
            Thread.sleep(WATCH_MILLIS);
        }
        try {
            return served.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Written by the gadget thread, read by the watchdog. */
    private static final class State {
        volatile RawGadget gadget;
        volatile boolean configured;
        volatile long lastEvent = System.nanoTime();
        /** When the host last reached a milestone: its first request, the configuration (at first, the plug). */
        volatile long milestone = System.nanoTime();
        volatile boolean stop;
        /** What the host did with the device while it dwelt ({@link Result#dwell}). */
        volatile String dwell;
    }

    private Result run(UsbDevice device, State state) throws IOException {
        int requests = 0;
        int stalls = 0;
        int failures = 0;
        String error = null;
        try (RawGadget gadget = RawGadget.open(rawGadget)) {
            state.gadget = gadget;
            gadget.start(udc.driver(), udc.device(), RawGadgetAbi.SPEED_HIGH);
            ControlResponder responder = new ControlResponder(device);
            while (!state.stop) {
                RawGadget.Event event = gadget.fetch();
                state.lastEvent = System.nanoTime();
                if (event.type() != RawGadgetAbi.EVENT_CONTROL || event.data().length < SetupPacket.SIZE) {
                    continue;
                }
                if (requests++ == 0) {
                    state.milestone = System.nanoTime();
                }
                try {
                    ControlReply reply = responder.answer(SetupPacket.parse(event.data()));
                    if (reply instanceof ControlReply.Data data) {
                        gadget.ep0Write(data.bytes());
                    } else if (reply instanceof ControlReply.Accept accept) {
                        gadget.ep0Read(accept.length());
                    } else if (reply instanceof ControlReply.Configure configure) {
                        gadget.configure(configure.maxPower());
                        gadget.ep0Read(0);
                        state.configured = true;
                        state.milestone = System.nanoTime();
                    } else {
                        gadget.ep0Stall();
                        stalls++;
                    }
                } catch (RawGadget.Failed e) {
                    failures++; // the host gave up on the request (a reset, a timeout): the next one comes
                }
                state.lastEvent = System.nanoTime();
            }
        } catch (RawGadget.Interrupted e) {
            // the watchdog ended the connection
        } catch (RawGadget.Failed e) {
            error = e.getMessage();
        } finally {
            state.gadget = null;
        }
        return new Result(requests, stalls, failures, state.configured, error, state.dwell);
    }
}
