package dev.kcovexplorer.kcov.usb;

import dev.kcovexplorer.kcov.PcHitTable;
import dev.kcovexplorer.kcov.RemoteHandle;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import dev.kcovexplorer.kcov.live.KcovDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A USB fuzzing campaign: emulated devices, one after another, plugged into dummy_hcd through raw-gadget while
 * kcov collects the remote coverage of the dummy bus's hub_event (and its URB completions) and nothing else.
 * Each connection's coverage is drained once the host has let go of the device. Blind, every device is
 * generated from scratch (and sometimes mutated); guided, a device that reached code no earlier one did, or took
 * a new path through known code ({@link PathSignal}: edges and their hit counts), joins the corpus, and many
 * devices are mutations of corpus entries. Every {@code snapshotEvery} seconds the coverage
 * so far is written as a snapshot of the campaign directory.
 */
public final class UsbFuzzer {
    /**
     * @param seconds          how long the campaign runs
     * @param guided           keep inputs that reached new coverage and mutate them, or generate blindly
     * @param snapshotEvery    seconds between snapshots
     * @param out              the campaign directory
     * @param name             the series' name ("guided", "blind")
     * @param seed             the random seed (the campaign is otherwise as random as the kernel's timing)
     * @param budgetMillis     the most a connection lasts
     * @param idleMillis       how long a configured device may go without a request before it is unplugged
     * @param udc              the UDC to bind to, or null for the first dummy_udc
     * @param kcov             the kcov device
     * @param areaWords        the kcov area, in words
     * @param focus            guided: the code it is after, whose new PCs alone steer its choices; null: all code
     */
    public record Options(double seconds, boolean guided, double snapshotEvery, Path out, String name, long seed,
                          long budgetMillis, long idleMillis, String udc, Path kcov, int areaWords,
                          FocusPoints focus) {
    }

    /** How the campaign went. */
    public record Summary(int connections, int configured, int uniquePcs, int corpus, double elapsed) {
    }

    private static final Path SYSFS = DummyUdc.SYSFS;
    private static final long GONE_WAIT_MILLIS = 3000;
    /**
     * The most the unplug wait waits for hub_event to release the root hub: its own timeouts (a hub's port that
     * never ends its reset, a child that never answers) end it within seconds, so this only keeps a hung bus
     * without an oops from hanging the campaign; the next connection then says what is wrong.
     */
    private static final long ROOT_HUB_READ_MILLIS = 20_000;
    /** How the unplug wait says that the root hub's read gave up. */
    private static final String ROOT_HUB_HELD = "hub_event still held the dummy bus's root hub";
    /** How long the host is given to notice that a device it never addressed was unplugged. */
    private static final long UNADDRESSED_MILLIS = 100;

    private final Options options;
    private final Consumer<String> log;
    /** The fresh devices, the same for a guided and a blind campaign of one seed. */
    private final FreshDevices freshDevices;
    /** Everything else: which entry, which mutation. */
    private final SplittableRandom random;
    private final PcHitTable coverage = new PcHitTable();
    /** The campaign's {@link PathSignal}s: edges between PCs with their hit-count classes. */
    private final PcHitTable signals = new PcHitTable();
    private final List<CorpusEntry> corpus = new ArrayList<>();
    private volatile boolean stopping;
    /** Whether the kernel oopsed since the campaign started (the agent's run): set when it starts. */
    private KernelTaint taint;
    /** Whether the bus stopped answering, told from the connections. */
    private final DeadBus deadBus = new DeadBus();
    /** Why the campaign ended before its time, and when, if it did. */
    private final CampaignCut cut = new CampaignCut();
    /** Where an input comes from: a fresh draw, a mutation of a corpus entry, or a comparison hint. */
    private enum Arm { FRESH, MUTANT, HINT }
    /**
     * Guided: which arm next, by each one's new PCs per second over its last inputs (a hint arm's comparison
     * passes and probes count as its inputs that found nothing), each arm at least one input in twenty. In the
     * first minute fresh devices bring 55–140 PCs a second and mutants 5–9: a floor of one in ten, and hints
     * from the first corpus entry on, left guided 3 fresh devices in its first 15 s against blind's 9.
     * <p>
     * The fresh arm counts its last 100 inputs, the others their last 30. Fresh devices are draws from one stream
     * whose finds after the first minute are rare and large (seeds 113–119: 7 of 490 fresh devices, 1.4%, brought
     * 44% of the fresh arm's PCs, 50 to 153 each), so thirty of them mostly held none and fresh looked as poor as
     * the mutants (1.2 PCs a second without its large finds against their 1.2): the mutants took 52% of the
     * connections while fresh devices brought 2.1 a second to their 1.2. A mutant's yield falls as the corpus is
     * worked (2.3, 1.2, 0.9, 0.7 PCs a second in the second to fifth minute), and a hundred of them remembered the
     * first minute's rich mutants for the whole campaign (seed 121: half the connections again).
     */
    private final YieldBandit<Arm> arms = new YieldBandit<Arm>(30, 0.05).withWindow(Arm.FRESH, 100);
    /**
     * Guided: whether {@link #arms} picked the last input's arm. The fresh devices before it does (the corpus empty,
     * the first of each kind) are not what a fresh device brings later: counted, the first eight (thousands of PCs,
     * capped at 200) would hold the fresh arm's rate up for a hundred tries.
     */
    private boolean armPicked;
    /** Guided: which corpus kind to mutate, by the new PCs per second of its last 10 mutants. */
    private final YieldBandit<String> mutantKinds = new YieldBandit<>(10, 0.05);
    /**
     * Guided: which mutation a mutant gets, by the new PCs per second of the last 10 mutants each operator was in.
     * With the fixed odds fresh devices keep, a config field took a quarter of the mutations and brought 1.4 new PCs
     * a second of its mutants, drop/double 1 in 16 for 5.4 (seeds 80–99); the next campaign had them the other way.
     */
    private final YieldBandit<DeviceMutator.Operator> operators = new YieldBandit<>(10, 0.02);
    /** Guided: the operators of the last mutant, each once (none for a fresh device or a hint's mutant). */
    private final Set<DeviceMutator.Operator> lastOperators = EnumSet.noneOf(DeviceMutator.Operator.class);
    private Arm lastArm = Arm.FRESH;
    /** Guided: the corpus kind the last mutant came from, or null. */
    private String lastMutantKind;
    /** Guided: the corpus entry the last mutant came from, or null. */
    private CorpusEntry lastParent;
    /** Guided: how the mutants of each corpus entry fared lately. */
    private final DryStreaks<CorpusEntry> dryStreaks = new DryStreaks<>();
    /** Mutants from comparison hints waiting to be tried. */
    private final ArrayDeque<UsbDevice> hintQueue = new ArrayDeque<>();
    /** Mutants from table scans waiting for a comparison pass of their own, each with its parent's comparisons. */
    private final ArrayDeque<Probe> probes = new ArrayDeque<>();
    /** Corpus entries that reached new code and have had no comparison pass yet. */
    private final List<CorpusEntry> unhinted = new ArrayList<>();
    /** Hints already queued (place and value, whichever input): each is tried once in the campaign. */
    private final Set<Long> triedHints = new HashSet<>();
    private final HintRecord hintRecord = new HintRecord();
    /** Seconds all connections took, plug to unplugged, and how many: their mean is the unit of cost. */
    private double connectionSeconds;
    private int connectionCount;

    /** An input that reached new coverage or took a new path, how much, and the seconds its connection took. */
    private record CorpusEntry(UsbDevice device, int newPcs, int newSignals, double seconds) {
        /**
         * How much time it deserves: new code counts most, a new path through known code a little, and a device
         * twice as quick to serve as the mean gets twice the tries (AFL's speed factor), within four times either
         * way. Mutants of a storage stick whose SCSI scan and unplugging take seconds otherwise eat the
         * campaign: the corpus fills with the slow, rich devices, and guided served half the connections blind did.
         */
        double energy(double meanSeconds) {
            double speed = Math.max(0.25, Math.min(4, meanSeconds / Math.max(seconds, 0.05)));
            return Math.sqrt(1 + newPcs + newSignals / 4.0) * speed;
        }

        /** The generated kinds it descends from: its origin before the first mutation. */
        String kind() {
            String origin = device.origin();
            int step = origin.indexOf(" > ");
            return step < 0 ? origin : origin.substring(0, step);
        }
    }

    /**
     * New PCs below this are not worth keeping an input for: interrupts and timers landing in a connection's
     * sections bring a PC or two of their own.
     */
    private static final int NOVELTY = 3;
    /**
     * New signals (edges or hit-count classes) an input must bring to be kept for them alone. Timing alone (a
     * hub_event polling a port once more, a retry) brings a few: of the connections that reached no new PC in
     * a blind campaign, half brought 6 or fewer and four in five fewer than 32.
     */
    private static final int SIGNAL_NOVELTY = 32;
    /**
     * A device that brought no new PC for this long is unplugged: a host retrying a failed enumeration or a hub
     * polling ports that never change reaches nothing more, and the time is better spent on the next device.
     */
    private static final long STALL_MILLIS = 700;
    /**
     * Hint mutants queued per comparison pass: a pass costs one connection, and a campaign serves a few hundred;
     * more hints per pass than this come from sites already picked once.
     */
    private static final int HINTS_PER_PASS = 10;
    /**
     * The most of the campaign's time comparison passes and probes may take, the next one included (at the mean
     * cost of those so far, or four connections before the first): they find nothing themselves (4.5–12% of a
     * 300 s campaign before this bound, whatever their hints brought), and the first no longer comes in the first
     * seconds, when fresh devices find most. At 5% the hint mutants they queued brought 3, 2 and 16 PCs in 17, 7
     * and 11 connections (seeds 73, 65, 62), against about 2 PCs a connection from fresh devices after the first
     * minute.
     */
    private static final double PASS_SHARE = 0.02;
    /**
     * One mutant in this many (besides what the bandit gives them) is a hub's, once the corpus has one: a hub's
     * port and hub bits ({@link DeviceMutator}) lead the hub driver, the USB core's largest part, down its
     * over-current, reset, suspend and child paths, but those finds are rare and large, and a ten-try window
     * sees a hub's mutants as dry (2 of 77 mutants in the first campaign with the port mutations, seed 40).
     */
    private static final int HUB_MUTANT_ONE_IN = 3;
    private static final String HUB = DeviceGenerator.Kind.HUB.label();
    /** One mutant in this many is a crossover of two corpus entries. */
    private static final int CROSSOVER_ONE_IN = 8;

    /**
     * A mutant that took one entry of an ID table scan (a vendor ID of a quirk list): whether it matched shows only
     * in the comparisons it opens (the entry's product ID), so it is replayed for them before it is tried.
     */
    private record Probe(UsbDevice mutant, ComparisonHints.Hint hint, ComparisonHints.Operands parent) {
    }

    /** What the comparison hints did, for the log: passes, their cost, hints seen, mutants tried and finding. */
    private static final class HintRecord {
        int probes;
        int opened;
        int passes;
        double seconds;
        long records;
        long comparisons;
        long hints;
        int mutants;
        int finds;
        int newPcs;
    }

    public UsbFuzzer(Options options, Consumer<String> log) {
        this.options = options;
        this.log = log;
        this.freshDevices = new FreshDevices(options.seed());
        this.random = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
    }

    /** Ends the campaign after the connection under way (SIGTERM); the last snapshot is still written. */
    public void stop() {
        cut.signal();
        stopping = true;
    }

    /** Ends the campaign after the connection under way because of {@code why}, at {@code seconds}. */
    private void cutShort(String what, String why, double seconds) {
        log.accept(what + ": " + why + ": hub_event's worker died or hung and the bus answers no more; the campaign"
                + " ends");
        cut.death(why, seconds);
        stopping = true;
    }

    public Summary run() throws IOException, InterruptedException {
        DummyUdc udc = DummyUdc.find(SYSFS, options.udc());
        taint = KernelTaint.ofThisKernel();
        String source = "USB bus " + udc.bus();
        log.accept("fuzzing " + (options.guided() ? "guided" : "blind") + " for " + options.seconds() + " s on "
                + udc.device() + " (" + source + "), snapshots every " + options.snapshotEvery() + " s into "
                + options.out());
        CampaignWriter writer = new CampaignWriter(options.out(), options.name(),
                "kcov-explorer usb " + (options.guided() ? "guided" : "blind"), options.seed(), Instant.now(),
                options.seconds(), options.snapshotEvery(), source);
        ExecutorService gadgetThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "usb-gadget");
            t.setDaemon(true);
            return t;
        });
        BackgroundWrites writes = new BackgroundWrites();
        int connections = 0;
        int configured = 0;
        long start = System.nanoTime();
        long[] handles = {RemoteHandle.usb(udc.bus()).encode()};
        try (KcovDevice kcov = KcovDevice.open(options.kcov());
             KcovDevice cmpKcov = options.guided() ? KcovDevice.open(options.kcov()) : null) {
            kcov.initTrace(options.areaWords());
            kcov.remoteEnable(TraceMode.PC, handles, 0);
            ComparisonPass comparisons = null;
            if (cmpKcov != null) {
                cmpKcov.initTrace(options.areaWords());
                comparisons = new ComparisonPass(kcov, cmpKcov, handles);
            }
            GadgetConnection connection = new GadgetConnection(RawGadget.DEVICE, udc, gadgetThread);
            double nextSnapshot = nextSnapshotAfter(0);
            double lastSnapshot = 0;
            while (!stopping && elapsed(start) < options.seconds()) {
                UsbDevice input = schedule(elapsed(start));
                if (input == null) {
                    Replayed replayed = probes.isEmpty() ? hintPass(comparisons, connection, udc, start)
                            : probe(comparisons, connection, udc, start);
                    // Checked here too: the oops is the replayed device's, not the next connection's. The log as
                    // after a connection: only when the replay looked wrong (no request at all).
                    String died = taint.oopsedSince() || replayed.replay().result().requests() == 0
                            ? taint.deathSince() : null;
                    if (died != null) {
                        cutShort("comparison replay (" + replayed.device().origin() + ")", died, elapsed(start));
                    }
                    continue;
                }
                double plugged = elapsed(start);
                PcHitTable reached = new PcHitTable();
                PathSignal path = new PathSignal();
                GadgetConnection.Result result = connection.serve(input, options.budgetMillis(), options.idleMillis(),
                        STALL_MILLIS, () -> collect(kcov, reached, path));
                double unplugged = elapsed(start);
                boolean rootHubHeld = awaitUnplugged(udc);
                collect(kcov, reached, path);
                double cost = elapsed(start) - plugged;
                // A snapshot holds what the connections that ended before its time reached: this one ended after.
                while (elapsed(start) >= nextSnapshot) {
                    snapshot(writes, writer, nextSnapshot, connections);
                    lastSnapshot = nextSnapshot;
                    nextSnapshot = nextSnapshotAfter(lastSnapshot);
                }
                long[] pcs = reached.sorted().pcs();
                int focused = focusedNew(pcs);
                int fresh = absorb(pcs);
                int freshSignals = path.absorbInto(signals);
                connections++;
                configured += result.configured() ? 1 : 0;
                if (learn(input, fresh, options.focus() == null ? fresh : focused, freshSignals, cost)) {
                    int number = corpus.size();
                    writes.submit(() -> writer.corpusEntry(number, input, fresh, freshSignals));
                }
                if (result.error() != null) {
                    log.accept("connection " + connections + ": " + result.error());
                }
                String busDead = deadBus.record(result.requests(), rootHubHeld);
                String died = taint.oopsedSince() || deadBus.suspicious() ? taint.deathSince() : null;
                if (died != null || busDead != null) {
                    cutShort("connection " + connections + " (" + input.origin() + ")", died != null ? died : busDead,
                            elapsed(start));
                }
                // Every connection: a campaign serves a few hundred, and its log is how one sees what paid.
                log.accept(String.format(Locale.ROOT,
                        "%6.1f s connection %d (%s, %s): %d requests%s in %.1f s (+%.1f s unplugging), +%d PCs%s,"
                                + " +%d signals, %d PCs in all, corpus %d", elapsed(start), connections,
                        lastArm.name().toLowerCase(Locale.ROOT), input.origin(), result.requests(),
                        (result.configured() ? ", configured" : "") + dwelt(input, result), unplugged - plugged,
                        elapsed(start) - unplugged, fresh,
                        options.focus() == null ? "" : " (" + focused + " in the focus)", freshSignals, coverage.size(),
                        corpus.size()));
            }
            // The campaign's time ran out between two connections: the snapshots due by now hold all of them.
            while (elapsed(start) >= nextSnapshot) {
                snapshot(writes, writer, nextSnapshot, connections);
                lastSnapshot = nextSnapshot;
                nextSnapshot = nextSnapshotAfter(lastSnapshot);
            }
            // Stopped early: the last snapshot is now, and every connection so far ended before it.
            double now = Math.max(1, Math.ceil(elapsed(start)));
            if (lastSnapshot < options.seconds() && now > lastSnapshot) {
                snapshot(writes, writer, now, connections);
            }
            if (lastSnapshot >= options.seconds()) {
                cut.ranItsTime();
            }
            writes.finish();
        } finally {
            gadgetThread.shutdownNow();
            writes.close();
        }
        double elapsed = elapsed(start);
        String cutShort = cut.reason();
        double cutAt = cut.at(elapsed);
        // The cut first: a kill between the two writes then leaves a manifest without the end's figures, never
        // one with them that does not say it was cut short.
        if (cutShort != null) {
            writer.cutShort(cutShort, cutAt);
        }
        writer.finish(connections, elapsed, corpus.size(), coverage.size());
        if (options.guided()) {
            log.accept(String.format(Locale.ROOT, "hints: %d comparison passes and %d probes (%d opened"
                            + " comparisons) in %.1f s, %d records, %d distinct comparisons, %d hints; %d hint mutants"
                            + " tried, %d found new PCs (+%d PCs)", hintRecord.passes, hintRecord.probes,
                    hintRecord.opened, hintRecord.seconds, hintRecord.records, hintRecord.comparisons,
                    hintRecord.hints, hintRecord.mutants, hintRecord.finds, hintRecord.newPcs));
        }
        log.accept(String.format(Locale.ROOT, "done: %d connections (%d configured) in %.1f s, %d unique PCs,"
                + " corpus %d%s", connections, configured, elapsed, coverage.size(), corpus.size(),
                cutShort == null ? "" : String.format(Locale.ROOT, "; cut short at %.1f s: %s", cutAt, cutShort)));
        return new Summary(connections, configured, coverage.size(), corpus.size(), elapsed);
    }

    /** Queues the snapshot at {@code t}: the coverage and the corpus as they are now. */
    private void snapshot(BackgroundWrites writes, CampaignWriter writer, double t, int connections) throws IOException {
        long[] pcs = coverage.sorted().pcs();
        int corpusSize = corpus.size();
        writes.submit(() -> writer.snapshot(t, pcs, connections, corpusSize));
    }

    /** Snapshots are due every {@code snapshotEvery} seconds and at the campaign's end; none after it. */
    private double nextSnapshotAfter(double t) {
        if (t >= options.seconds()) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.min(t + options.snapshotEvery(), options.seconds());
    }

    /**
     * The input to serve next, {@code elapsed} seconds into the campaign; null when the hint arm was picked and a
     * comparison pass or a probe is due instead ({@link #hintPass}, {@link #probe}).
     */
    UsbDevice schedule(double elapsed) {
        lastArm = pickArm(elapsed);
        return lastArm == Arm.HINT && hintQueue.isEmpty() ? null : next();
    }

    /** Whether the input {@link #schedule} gave last was a fresh device. */
    boolean lastWasFresh() {
        return lastArm == Arm.FRESH;
    }

    /**
     * What the last input {@link #schedule} gave brought: {@code fresh} new PCs ({@code reward} of them counting,
     * see {@link #noteFind}) and {@code freshSignals} new signals, in {@code seconds}. Guided keeps it in the corpus
     * when that is enough; answers whether it did.
     */
    boolean learn(UsbDevice input, int fresh, int reward, int freshSignals, double seconds) {
        noteFind(fresh, reward, seconds);
        if ((fresh < NOVELTY && freshSignals < SIGNAL_NOVELTY) || !options.guided()) {
            return false;
        }
        CorpusEntry entry = new CorpusEntry(input, fresh, freshSignals, seconds);
        corpus.add(entry);
        if (fresh >= NOVELTY) {
            unhinted.add(entry);
        }
        return true;
    }

    /**
     * Guided: which kind of input comes next, a fresh device (mutated half the time, as blind always makes), a
     * mutation of a corpus entry, or a comparison hint ({@link #arms}). Early on, when fresh devices of new kinds
     * bring hundreds of PCs, most inputs are fresh; as they bring fewer, the corpus and the hints are worked. The
     * hint arm is offered while it has mutants queued, or entries to replay and its passes have not taken more
     * than {@link #PASS_SHARE} of the time so far. Until every kind has been drawn once ({@link FreshDevices}) only
     * fresh devices come: with mutants among them guided served fewer fresh devices than blind in the first 15 s
     * (11 of 12 pairs), while fresh devices of new kinds are what finds most then.
     */
    private Arm pickArm(double elapsed) {
        armPicked = options.guided() && !corpus.isEmpty() && freshDevices.everyKindDrawn();
        if (!armPicked) {
            return Arm.FRESH;
        }
        int replays = hintRecord.passes + hintRecord.probes;
        double nextReplay = replays == 0 ? 4 * meanSeconds() : hintRecord.seconds / replays;
        boolean passes = (!probes.isEmpty() || !unhinted.isEmpty())
                && hintRecord.seconds + nextReplay <= PASS_SHARE * elapsed;
        boolean hints = !hintQueue.isEmpty() || passes;
        return arms.pick(hints ? List.of(Arm.FRESH, Arm.MUTANT, Arm.HINT) : List.of(Arm.FRESH, Arm.MUTANT), random);
    }

    /**
     * The next input of the arm picked. A fresh device is the next of {@link FreshDevices}, which no feedback
     * steers: a guided and a blind campaign with one seed draw the same fresh devices in the same order, guided
     * fewer of them in the same time (its mutants and hints take the place of some). A mutant's entry is chosen
     * in two steps: a kind of device (the generator's kinds it descends from: "hub",
     * "hid-keyboard+vendor") by what its mutants brought
     * ({@link #mutantKinds}), then an entry of that kind with a weight that grows with the new coverage it brought
     * ({@link CorpusEntry#energy}). Kinds first, because a corpus ranked by new PCs alone fills with HID report
     * mutants (a changed report reaches new parser branches nearly every time) and neglects the hubs whose port
     * states, changed one bit at a time, go on reaching the USB core's own paths long after.
     */
    private UsbDevice next() {
        lastMutantKind = null;
        lastParent = null;
        lastOperators.clear();
        if (lastArm == Arm.HINT && !hintQueue.isEmpty()) {
            return hintQueue.poll();
        }
        if (lastArm == Arm.MUTANT) {
            List<String> kinds = corpus.stream().map(CorpusEntry::kind).distinct().toList();
            String kind = kinds.contains(HUB) && random.nextInt(HUB_MUTANT_ONE_IN) == 0 ? HUB
                    : mutantKinds.pick(kinds, random);
            lastMutantKind = kind;
            List<CorpusEntry> entries = corpus.stream().filter(e -> e.kind().equals(kind)).toList();
            double mean = meanSeconds();
            double total = 0;
            for (CorpusEntry entry : entries) {
                total += entry.energy(mean) * dryStreaks.weight(entry);
            }
            double pick = random.nextDouble() * total;
            CorpusEntry chosen = entries.get(entries.size() - 1);
            for (CorpusEntry entry : entries) {
                pick -= entry.energy(mean) * dryStreaks.weight(entry);
                if (pick <= 0) {
                    chosen = entry;
                    break;
                }
            }
            lastParent = chosen;
            // Now and then an interface of another well-formed entry, of any kind, grafted in (AFL's splicing).
            CorpusEntry recipient = chosen;
            List<CorpusEntry> donors = corpus.stream().filter(e -> e != recipient && e.device().wellFormed()).toList();
            if (chosen.device().wellFormed() && !donors.isEmpty() && random.nextInt(CROSSOVER_ONE_IN) == 0) {
                UsbDevice donor = donors.get(random.nextInt(donors.size())).device();
                return DeviceMutator.crossover(chosen.device(), donor, random, this::pickOperator);
            }
            return DeviceMutator.mutate(chosen.device(), random, this::pickOperator);
        }
        return freshDevices.next();
    }

    /**
     * Replays the corpus entry that brought the most new PCs of those not replayed yet, with its comparisons
     * collected, and queues the untried hints they give ({@link ComparisonHints}); the replay's time is the hint
     * arm's cost.
     */
    private Replayed hintPass(ComparisonPass comparisons, GadgetConnection connection, DummyUdc udc, long start)
            throws IOException, InterruptedException {
        CorpusEntry entry = unhinted.get(0);
        for (CorpusEntry candidate : unhinted) {
            entry = candidate.newPcs() > entry.newPcs() ? candidate : entry;
        }
        unhinted.remove(entry);
        double began = elapsed(start);
        ComparisonPass.Replay replay = replay(comparisons, connection, udc, entry.device());
        List<ComparisonHints.Hint> hints = ComparisonHints.find(entry.device(), replay.operands());
        int queued = queue(entry.device(), hints, HINTS_PER_PASS, replay.operands());
        double cost = elapsed(start) - began;
        arms.record(Arm.HINT, 0, NOVELTY, cost);
        hintRecord.passes++;
        hintRecord.seconds += cost;
        hintRecord.records += replay.operands().records();
        hintRecord.comparisons += replay.operands().distinct();
        hintRecord.hints += hints.size();
        log.accept(String.format(Locale.ROOT,
                "%6.1f s comparison pass (%s): %d requests in %.1f s, %d records, %d distinct comparisons, %d hints,"
                        + " %d queued%s", elapsed(start), entry.device().origin(), replay.result().requests(), cost,
                replay.operands().records(), replay.operands().distinct(), hints.size(), queued,
                replay.overflow() ? " (the CMP area overflowed: comparisons were dropped)" : ""));
        return new Replayed(entry.device(), replay);
    }

    /**
     * Replays an ID table scan's mutant with its comparisons collected. New hints (a value its parent's
     * comparisons did not suggest) for another ID than the one its hint wrote (the product ID once the vendor
     * matched) say the entry matched: the mutant is queued to be tried, and those hints after it. Otherwise it is
     * dropped for the price of one connection. Only new values: between two replays thousands of comparisons
     * differ anyway (timing, addresses, the same tables compared once more for an interface the mutant made
     * acceptable).
     */
    private Replayed probe(ComparisonPass comparisons, GadgetConnection connection, DummyUdc udc, long start)
            throws IOException, InterruptedException {
        Probe probe = probes.poll();
        double began = elapsed(start);
        ComparisonPass.Replay replay = replay(comparisons, connection, udc, probe.mutant());
        ComparisonHints.Hint own = probe.hint();
        Set<Long> known = new HashSet<>();
        ComparisonHints.find(probe.mutant(), probe.parent()).forEach(h -> known.add(h.key()));
        List<ComparisonHints.Hint> opened = ComparisonHints.find(probe.mutant(),
                replay.operands().without(probe.parent())).stream()
                .filter(h -> ComparisonHints.writesAnId(h) && h.offset() != own.offset() && !known.contains(h.key()))
                .toList();
        int queued = 0;
        if (!opened.isEmpty()) {
            hintQueue.addFirst(probe.mutant());
            queued = queue(probe.mutant(), opened, HINTS_PER_PASS / 2, replay.operands());
            hintRecord.opened++;
        }
        double cost = elapsed(start) - began;
        arms.record(Arm.HINT, 0, NOVELTY, cost);
        hintRecord.probes++;
        hintRecord.seconds += cost;
        log.accept(String.format(Locale.ROOT,
                "%6.1f s probe (%s, 0x%x at %d:%d): %d new comparisons, %d hints elsewhere, %d queued in %.1f s",
                elapsed(start), probe.mutant().origin(), own.value(), own.part(), own.offset(),
                replay.operands().without(probe.parent()).distinct(), opened.size(), queued, cost));
        return new Replayed(probe.mutant(), replay);
    }

    /** A comparison pass's or probe's device and how its replay went. */
    private record Replayed(UsbDevice device, ComparisonPass.Replay replay) {
    }

    /** One comparison pass of {@code device}; stray PCs the PC fd held when it let go count as coverage. */
    private ComparisonPass.Replay replay(ComparisonPass comparisons, GadgetConnection connection, DummyUdc udc,
                                         UsbDevice device) throws IOException, InterruptedException {
        PcHitTable stray = new PcHitTable();
        ComparisonPass.Replay replay = comparisons.replay(connection, device, options.budgetMillis(),
                options.idleMillis(), STALL_MILLIS, chunk -> {
                    for (long pc : chunk.words()) {
                        stray.add(pc);
                    }
                }, () -> awaitUnplugged(udc));
        absorb(stray.sorted().pcs());
        return replay;
    }

    /**
     * Picks up to {@code max} untried hints for {@code device} and queues their mutants: a table scan's to be
     * probed first ({@link Probe}), the others to be tried. Answers how many.
     */
    private int queue(UsbDevice device, List<ComparisonHints.Hint> hints, int max, ComparisonHints.Operands seen) {
        Set<ComparisonHints.Hint> tables = ComparisonHints.tableScans(hints, seen);
        List<ComparisonHints.Hint> picked = ComparisonHints.pick(hints, tables, max, random,
                h -> !triedHints.contains(h.key()));
        for (ComparisonHints.Hint hint : picked) {
            triedHints.add(hint.key());
            UsbDevice mutant = ComparisonHints.apply(device, hint);
            if (tables.contains(hint)) {
                probes.add(new Probe(mutant, hint, seen));
            } else {
                hintQueue.add(mutant);
            }
        }
        return picked.size();
    }

    /** Guided: the operator of a mutant's next mutation, by {@link #operators}; remembered for its reward. */
    private DeviceMutator.Operator pickOperator(List<DeviceMutator.Operator> offered, SplittableRandom random) {
        DeviceMutator.Operator operator = operators.pick(offered, random);
        lastOperators.add(operator);
        return operator;
    }

    /** The mean seconds of a connection so far (one second before the first). */
    private double meanSeconds() {
        return connectionCount == 0 ? 1 : Math.max(0.05, connectionSeconds / connectionCount);
    }

    /**
     * Remembers what the last input brought (its {@code reward}: the new PCs in the focus when there is one, else
     * all its {@code newPcs}) and what it cost: for its arm, and (guided) the corpus kind it was mutated from.
     */
    private void noteFind(int newPcs, int reward, double seconds) {
        connectionSeconds += seconds;
        connectionCount++;
        if (!options.guided()) {
            return;
        }
        // In the focus a single new PC counts: the interrupts and timers that bring a stray PC or two run elsewhere.
        int novelty = options.focus() == null ? NOVELTY : 1;
        if (armPicked) {
            arms.record(lastArm, reward, novelty, seconds);
        }
        if (lastArm == Arm.HINT) {
            hintRecord.mutants++;
            hintRecord.finds += newPcs >= NOVELTY ? 1 : 0;
            hintRecord.newPcs += newPcs;
        }
        if (lastMutantKind != null) {
            mutantKinds.record(lastMutantKind, reward, novelty, seconds);
        }
        for (DeviceMutator.Operator operator : lastOperators) {
            operators.record(operator, reward, novelty, seconds);
        }
        if (lastParent != null) {
            dryStreaks.record(lastParent, reward >= novelty);
        }
    }

    /**
     * Drains what kcov collected since the last drain into the connection's PCs; answers whether any is new to
     * the campaign and the connection.
     */
    private boolean collect(KcovDevice kcov, PcHitTable reached, PathSignal path) {
        CoverageChunk chunk;
        try {
            chunk = kcov.drain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (chunk.overflow()) {
            log.accept("the kcov area overflowed between two drains: coverage was dropped (raise --area-words)");
        }
        path.follow(chunk.words());
        boolean found = false;
        for (long pc : chunk.words()) {
            found |= reached.add(pc) == 1 && coverage.hits(pc) == 0;
        }
        return found;
    }

    /** How many of the connection's PCs are new to the campaign and in the focus (0 without one). */
    private int focusedNew(long[] pcs) {
        if (options.focus() == null) {
            return 0;
        }
        int focused = 0;
        for (long pc : pcs) {
            focused += coverage.hits(pc) == 0 && options.focus().contains(pc) ? 1 : 0;
        }
        return focused;
    }

    /** Counts the connection's PCs into the campaign's; returns how many it saw first. */
    private int absorb(long[] pcs) {
        int fresh = 0;
        for (long pc : pcs) {
            if (coverage.add(pc) == 1) {
                fresh++;
            }
        }
        return fresh;
    }

    /**
     * {@link #awaitHostLetGo}, saying which wait gave up when one did; answers whether the root hub's did (hub_event
     * held it past {@link #ROOT_HUB_READ_MILLIS}).
     */
    private boolean awaitUnplugged(DummyUdc udc) throws InterruptedException {
        String gaveUp = awaitHostLetGo(udc, taint::oopsedSince);
        if (gaveUp != null) {
            log.accept(gaveUp + ": going on");
        }
        return gaveUp != null && gaveUp.contains(ROOT_HUB_HELD);
    }

    /**
     * Waits until the host has let go of the device: its sysfs directory is gone (hub_event's disconnect removed
     * it), then until that hub_event has released the root hub. hub_event holds the root hub's device lock for
     * the whole of its work and reading the root hub's bConfigurationValue takes that lock, so the read returns
     * once the disconnect's work is done (kcov_remote_stop follows the unlock) and the bus is idle for what comes
     * next. A device that never got an address has no directory to watch: the host is given a moment to notice
     * the unplug before the read. Returns null once the host has let go; else which wait gave up, the device's (it
     * outlived {@link #GONE_WAIT_MILLIS}) or the root hub's (hub_event held it {@link #ROOT_HUB_READ_MILLIS} more):
     * the disconnect's coverage then lands in the next connection's. Shared with the VM test's PlugOnce, so both
     * wait alike.
     * <p>
     * When hub_event's worker dies holding that lock (a kernel oops in a driver's probe: a divide error in
     * hid_setup_resolution_multiplier did, in a blind campaign), the read never returns: it runs on a thread of
     * its own, and the wait ends as soon as {@code oopsed} says so, for the caller to end the campaign. Waiting
     * on the read itself hung the campaign until the capture script's timeout.
     */
    static String awaitHostLetGo(DummyUdc udc, BooleanSupplier oopsed) throws InterruptedException {
        Path device = udc.hostDevice(SYSFS);
        Path rootHub = SYSFS.resolve("bus/usb/devices/usb" + udc.bus());
        boolean addressed = Files.exists(device);
        long deadline = System.nanoTime() + GONE_WAIT_MILLIS * 1_000_000;
        while (Files.exists(device) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        boolean gone = !Files.exists(device);
        if (gone && !addressed) {
            Thread.sleep(UNADDRESSED_MILLIS);
        }
        String outlived = gone ? null : "the host still had the device " + device + " " + GONE_WAIT_MILLIS
                + " ms after the unplug";
        FutureTask<String> read = new FutureTask<>(() -> Files.readString(rootHub.resolve("bConfigurationValue")));
        Thread reader = new Thread(read, "root hub read");
        reader.setDaemon(true);
        reader.start();
        long readDeadline = System.nanoTime() + ROOT_HUB_READ_MILLIS * 1_000_000;
        while (true) {
            try {
                read.get(10, TimeUnit.MILLISECONDS);
                return outlived;
            } catch (TimeoutException e) {
                if (oopsed.getAsBoolean()) {
                    return outlived;
                }
                if (System.nanoTime() > readDeadline) {
                    return (outlived == null ? "" : outlived + ", and ")
                            + ROOT_HUB_HELD + " " + rootHub + " " + ROOT_HUB_READ_MILLIS
                            + " ms after that";
                }
            } catch (ExecutionException e) {
                throw new UncheckedIOException("the dummy bus's root hub " + rootHub + " is gone",
                        e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
            }
        }
    }

    /** For the log: whether a dwelling device was suspended by the host, and if not, why not. */
    private static String dwelt(UsbDevice input, GadgetConnection.Result result) {
        return input.dwell() == UsbDevice.Dwell.NONE ? ""
                : ", " + (result.dwell() != null ? result.dwell() : "did not dwell (its gadget stopped first)");
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
