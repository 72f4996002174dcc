package dev.kcovexplorer.app.live;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.kcov.KcovAbi;
import dev.kcovexplorer.kcov.PcHitTable;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Coverage of a live session as batches arrive: hit counts per unique PC in a {@link PcHitTable}
 * (memory grows with the unique PCs, not with the trace), and the PCs seen for the first time since the
 * last {@link #takeUpdate()}; in CMP mode the same per ip, and the distinct records with their counts, which a
 * frozen run summarizes as a dump of them would be. Batches are deduplicated by sequence number, so batches an agent
 * sends again after a reconnect are not counted twice, and gaps (batches lost for good) are counted.
 * The client's reader thread adds, the {@link LiveCollector}'s clock takes updates.
 */
public final class LiveCoverage {
    /**
     * Words of held batches beyond which the oldest go, 32 MB: a reset the agent answers late (its reply waits up to a
     * minute) or never while the connection stays up held all that arrived meanwhile, a busy kernel's hundreds of MB.
     * The oldest are the likeliest to precede the reset, which drops them anyway; one that followed it leaves a gap
     * in the sequence numbers, counted as a lost batch when the reset is confirmed.
     */
    static final long HELD_WORDS_LIMIT = 1 << 22;
    private final long heldWordsLimit;
    private long pcs;
    private PcHitTable hits = new PcHitTable();
    private long[] fresh = new long[1 << 10];
    private int freshLength;
    private long lastSequence;
    /**
     * Whether {@link #lastSequence} says where the agent's numbering stands, so that a batch beyond the next is a gap: once
     * a batch counted or a reset was confirmed (at sequence 1 too, where it stays 0), not while a connection to an agent
     * has told nothing yet (its first batch can follow many it sent to another controller).
     */
    private boolean sequenceKnown;
    private long batches;
    private long overflows;
    private long lostBatches;
    private long cmpRecords;
    private ComparisonRecordCounts comparisons = new ComparisonRecordCounts();
    /** Records per ip in CMP mode, apart from the PCs' hits: a PC run never holds comparison ips. */
    private PcHitTable ipHits = new PcHitTable();
    private String agentInstance;
    /** The connection whose batches count now (see {@link #connected}). */
    private Object connection;
    /**
     * Resets asked, the last of them the agent confirmed, and the batches received since the last one asked: held, not
     * counted, until the agent confirms it, because those it made before are old coverage on their way, and only its
     * confirmation says which they are.
     */
    private long resetsAsked;
    private long resetsConfirmed;
    private final Deque<CoverageBatch> heldBatches = new ArrayDeque<>();
    private long heldWords;

    public LiveCoverage() {
        this(HELD_WORDS_LIMIT);
    }

    LiveCoverage(long heldWordsLimit) {
        this.heldWordsLimit = heldWordsLimit;
    }

    /** What changed since the previous update. */
    public record Update(long pcs, int uniquePcs, long batches, long overflows, long lostBatches,
            long cmpRecords, long[] newPcs) {
    }

    /**
     * The agent behind the coming batches; a different instance (a restarted agent) numbers from 1 again. Batches held
     * for a reset the agent before it never confirmed are that agent's, numbered its way: the new one's confirmation
     * says nothing about them (let through, they brought the old coverage back), so they go.
     */
    public synchronized void agentInstance(String instance) {
        if (agentInstance != null && !agentInstance.equals(instance)) {
            lastSequence = 0;
            sequenceKnown = false;
            dropHeld();
        }
        agentInstance = instance;
    }

    /**
     * The coming batches are {@code connection}'s, from the agent {@code instance}. What a connection it replaced still
     * delivers (its reader went on with what had arrived before its close) is ignored from now on: it is numbered the
     * way of that connection's agent, and taken as the last received it can make this one's batches look like repeats.
     */
    public synchronized void connected(Object connection, String instance) {
        this.connection = connection;
        agentInstance(instance);
    }

    /** Adds a batch {@code from} a connection delivered, unless a later connection replaced it. */
    public synchronized void add(Object from, CoverageBatch batch) {
        if (from == connection) {
            add(batch);
        }
    }

    /**
     * Adds a batch; batches at or below the last sequence number seen are repeats (or made before a confirmed reset)
     * and ignored. While a reset is awaited it is held.
     */
    public synchronized void add(CoverageBatch batch) {
        if (awaitsReset()) {
            hold(batch);
            return;
        }
        if (batch.sequence() <= lastSequence) {
            return;
        }
        if (sequenceKnown && batch.sequence() > lastSequence + 1) {
            lostBatches += batch.sequence() - lastSequence - 1;
        }
        lastSequence = batch.sequence();
        sequenceKnown = true;
        batches++;
        overflows += batch.overflow() ? 1 : 0;
        if (batch.mode() == TraceMode.CMP) {
            long[] w = batch.words();
            for (int r = 0; r + KcovAbi.KCOV_WORDS_PER_CMP <= w.length; r += KcovAbi.KCOV_WORDS_PER_CMP) {
                if (comparisons.add(w[r], w[r + 1], w[r + 2], w[r + 3])) {
                    cmpRecords++;
                    if (ipHits.add(w[r + 3]) == 1) {
                        remember(w[r + 3]); // a comparison site reached for the first time changes the picture
                    }
                }
            }
            return;
        }
        pcs += batch.words().length;
        for (long pc : batch.words()) {
            count(pc);
        }
    }

    private void hold(CoverageBatch batch) {
        heldBatches.add(batch);
        heldWords += batch.words().length;
        while (heldWords > heldWordsLimit) {
            heldWords -= heldBatches.remove().words().length;
        }
    }

    private void dropHeld() {
        heldBatches.clear();
        heldWords = 0;
    }

    private void count(long pc) {
        if (hits.add(pc) == 1) {
            remember(pc);
        }
    }

    private void remember(long pc) {
        if (freshLength == fresh.length) {
            fresh = Arrays.copyOf(fresh, fresh.length * 2);
        }
        fresh[freshLength++] = pc;
    }

    /** The totals, and the PCs first seen since the previous call. */
    public synchronized Update takeUpdate() {
        long[] newPcs = Arrays.copyOf(fresh, freshLength);
        freshLength = 0;
        return new Update(pcs, hits.size(), batches, overflows, lostBatches, cmpRecords, newPcs);
    }

    /** How often {@code pc} was recorded so far. */
    public synchronized int hits(long pc) {
        return (int) Math.min(Integer.MAX_VALUE, hits.hits(pc));
    }

    /** Whether nothing was received since the start or the last {@link #clear()}. */
    public synchronized boolean isEmpty() {
        return batches == 0;
    }

    /** Times coverage was lost so far: batches the kernel's area overflowed in, and batches that never came. */
    public synchronized long losses() {
        return overflows + lostBatches;
    }

    /** The last batch sequence number received: what to resume after when reconnecting. */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    /**
     * Everything received so far as a run of the session: sorted unique PCs with their hit counts (PCs are
     * kcov's return addresses). Costs a sort of the unique PCs, not a pass over the trace.
     */
    public synchronized RunInput toRun(String label, String remoteSource) {
        if (pcs == 0 && !comparisons.isEmpty()) {
            // A comparison collection: its ips with their records, and the operands summarized per ip.
            ComparisonSummary summary = comparisons.summary(ComparisonSummary.DEFAULT_TOP);
            int[] records = new int[summary.ipCount()];
            for (int i = 0; i < records.length; i++) {
                records[i] = (int) Math.min(Integer.MAX_VALUE, summary.records(i));
            }
            return new RunInput(label, null, remoteSource, TraceMode.CMP.id(), null, cmpRecords, overflows > 0,
                    summary.ips(), records, PcKind.RETURN_ADDRESS, summary);
        }
        PcHitTable.Counts counts = hits.sorted();
        return new RunInput(label, null, remoteSource, TraceMode.PC.id(), null, pcs, overflows > 0, counts.pcs(),
                counts.hits(), PcKind.RETURN_ADDRESS);
    }

    /**
     * Forgets all coverage, and holds the batches that arrive from now on until the agent {@linkplain #resetConfirmed
     * confirms} a reset asked after this; sequence numbers go on, since the agent's do.
     */
    public synchronized void clear() {
        resetsAsked++;
        dropHeld(); // received after the reset asked before: old coverage, whatever they are
        pcs = 0;
        hits = new PcHitTable();
        freshLength = 0;
        batches = 0;
        overflows = 0;
        lostBatches = 0;
        cmpRecords = 0;
        comparisons = new ComparisonRecordCounts();
        ipHits = new PcHitTable();
    }

    /** The resets asked so far: read before asking the agent, it says which of them the agent's answer confirms. */
    public synchronized long resetsAsked() {
        return resetsAsked;
    }

    /** Whether a reset was asked that the agent has not confirmed yet: batches are held until it does. */
    public synchronized boolean awaitsReset() {
        return resetsConfirmed < resetsAsked;
    }

    /**
     * The agent started afresh after the first {@code resets} resets were asked (it reset, or began a new session):
     * batches from {@code nextSequence} on hold only coverage after them. Those before (the held ones among them) were
     * made before, and are dropped as repeats are; those it discarded unsent are not lost ones. Held batches count once
     * no later reset awaits the agent. An answer naming a reset not asked (an agent's, out of protocol) confirms
     * nothing: taken, it confirmed the resets asked after it too, whose batches made before them then counted.
     */
    public synchronized void resetConfirmed(long resets, long nextSequence) {
        if (resets > resetsAsked) {
            return;
        }
        lastSequence = Math.max(lastSequence, nextSequence - 1);
        sequenceKnown = true;
        resetsConfirmed = Math.max(resetsConfirmed, resets);
        if (awaitsReset()) {
            return;
        }
        List<CoverageBatch> held = List.copyOf(heldBatches);
        dropHeld();
        held.forEach(this::add);
    }

    /** {@link #resetConfirmed(long, long)}, as a connection's late answer to a reset says, unless it was replaced. */
    public synchronized void resetConfirmed(Object from, long resets, long nextSequence) {
        if (from == connection) {
            resetConfirmed(resets, nextSequence);
        }
    }
}
