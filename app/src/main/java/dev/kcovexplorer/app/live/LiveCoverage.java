package dev.kcovexplorer.app.live;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import java.util.Arrays;

/**
 * Coverage of a live session as batches arrive: hit counts per unique PC in an open-addressing table
 * (memory grows with the unique PCs, not with the trace), and the PCs seen for the first time since the
 * last {@link #takeUpdate()}. Batches are deduplicated by sequence number, so batches an agent
 * sends again after a reconnect are not counted twice, and gaps (batches lost for good) are counted.
 * The client's reader thread adds, the {@link LiveCollector}'s clock takes updates.
 */
public final class LiveCoverage {
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private long pcs;
    private long[] keys = new long[1 << 12];
    private int[] hits = new int[1 << 12];
    private int unique;
    private long[] fresh = new long[1 << 10];
    private int freshLength;
    private long lastSequence;
    private long batches;
    private long overflows;
    private long lostBatches;
    private long cmpRecords;
    private String agentInstance;

    /** What changed since the previous update. */
    public record Update(long pcs, int uniquePcs, long batches, long overflows, long lostBatches,
            long cmpRecords, long[] newPcs) {
    }

    /** The agent behind the coming batches; a different instance (a restarted agent) numbers from 1 again. */
    public synchronized void agentInstance(String instance) {
        if (agentInstance != null && !agentInstance.equals(instance)) {
            lastSequence = 0;
        }
        agentInstance = instance;
    }

    /** Adds a batch; batches at or below the last sequence number seen are repeats and ignored. */
    public synchronized void add(CoverageBatch batch) {
        if (batch.sequence() <= lastSequence) {
            return;
        }
        if (lastSequence > 0 && batch.sequence() > lastSequence + 1) {
            lostBatches += batch.sequence() - lastSequence - 1;
        }
        lastSequence = batch.sequence();
        batches++;
        overflows += batch.overflow() ? 1 : 0;
        if (batch.mode() == TraceMode.CMP) {
            cmpRecords += batch.entryCount(); // comparison operands light up no lines: counted, not stored
            return;
        }
        pcs += batch.words().length;
        for (long pc : batch.words()) {
            count(pc);
        }
    }

    private void count(long pc) {
        int mask = keys.length - 1;
        int slot = (int) ((pc * GOLDEN) >>> 32) & mask;
        while (keys[slot] != 0) {
            if (keys[slot] == pc) {
                hits[slot]++;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = pc; // kernel PCs are never 0, the free-slot marker
        hits[slot] = 1;
        unique++;
        if (freshLength == fresh.length) {
            fresh = Arrays.copyOf(fresh, fresh.length * 2);
        }
        fresh[freshLength++] = pc;
        if (unique * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldHits = hits;
        keys = new long[oldKeys.length * 2];
        hits = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = (int) ((oldKeys[i] * GOLDEN) >>> 32) & mask;
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                hits[slot] = oldHits[i];
            }
        }
    }

    /** The totals, and the PCs first seen since the previous call. */
    public synchronized Update takeUpdate() {
        long[] newPcs = Arrays.copyOf(fresh, freshLength);
        freshLength = 0;
        return new Update(pcs, unique, batches, overflows, lostBatches, cmpRecords, newPcs);
    }

    /** How often {@code pc} was recorded so far. */
    public synchronized int hits(long pc) {
        int mask = keys.length - 1;
        for (int slot = (int) ((pc * GOLDEN) >>> 32) & mask; keys[slot] != 0; slot = (slot + 1) & mask) {
            if (keys[slot] == pc) {
                return hits[slot];
            }
        }
        return 0;
    }

    /** Whether nothing was received since the start or the last {@link #clear()}. */
    public synchronized boolean isEmpty() {
        return batches == 0;
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
        long[] sorted = new long[unique];
        int n = 0;
        for (long key : keys) {
            if (key != 0) {
                sorted[n++] = key;
            }
        }
        Arrays.sort(sorted);
        int[] counts = new int[unique];
        for (int i = 0; i < unique; i++) {
            counts[i] = hits(sorted[i]);
        }
        return new RunInput(label, null, remoteSource, TraceMode.PC.id(), null, pcs, overflows > 0, sorted, counts,
                PcKind.RETURN_ADDRESS);
    }

    /** Forgets all coverage; sequence numbers go on, since the agent's do. */
    public synchronized void clear() {
        pcs = 0;
        keys = new long[1 << 12];
        hits = new int[1 << 12];
        unique = 0;
        freshLength = 0;
        batches = 0;
        overflows = 0;
        lostBatches = 0;
        cmpRecords = 0;
    }
}
