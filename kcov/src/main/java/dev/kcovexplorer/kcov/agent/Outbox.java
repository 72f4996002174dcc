package dev.kcovexplorer.kcov.agent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches on their way to a controller: those not sent yet (collected while no controller was
 * connected), and the most recent sent ones, kept so a client that reconnects after losing its
 * connection can ask for everything after the last sequence number it saw. Both are bounded in words;
 * unsent batches beyond the bound are dropped oldest first and counted. Not thread-safe: the agent
 * guards it with its lock.
 */
final class Outbox {
    private final long unsentLimitWords;
    private final long sentLimitWords;
    private final ArrayDeque<CoverageBatch> sent = new ArrayDeque<>();
    private final ArrayDeque<CoverageBatch> unsent = new ArrayDeque<>();
    private long sentWords;
    private long unsentWords;
    private long droppedBatches;

    Outbox(long unsentLimitWords, long sentLimitWords) {
        this.unsentLimitWords = unsentLimitWords;
        this.sentLimitWords = sentLimitWords;
    }

    /** A batch that could not be delivered now. */
    void hold(CoverageBatch batch) {
        unsent.addLast(batch);
        unsentWords += batch.words().length;
        dropBeyondLimit();
    }

    private void dropBeyondLimit() {
        while (unsentWords > unsentLimitWords && unsent.size() > 1) {
            unsentWords -= unsent.removeFirst().words().length;
            droppedBatches++;
        }
    }

    /** A batch that was written to the controller's connection. */
    void sent(CoverageBatch batch) {
        sent.addLast(batch);
        sentWords += batch.words().length;
        while (sentWords > sentLimitWords && sent.size() > 1) {
            sentWords -= sent.removeFirst().words().length;
        }
    }

    /**
     * What a new controller receives, oldest first: the sent batches after {@code resumeAfter} if it
     * resumes (they stay recorded as sent), then the unsent ones, which leave this outbox and come back
     * through {@link #sent} once written or {@link #returnUnwritten} if the connection breaks first.
     */
    Backlog takeForController(long resumeAfter) {
        List<CoverageBatch> resent = new ArrayList<>();
        if (resumeAfter > 0) {
            for (CoverageBatch batch : sent) {
                if (batch.sequence() > resumeAfter) {
                    resent.add(batch);
                }
            }
        }
        List<CoverageBatch> fresh = new ArrayList<>(unsent);
        unsent.clear();
        unsentWords = 0;
        return new Backlog(resent, fresh);
    }

    /** Batches sent again to a resuming controller, and batches it receives for the first time. */
    record Backlog(List<CoverageBatch> resent, List<CoverageBatch> fresh) {
        int size() {
            return resent.size() + fresh.size();
        }
    }

    /**
     * Batches a controller's connection did not write before it broke, oldest first: they are older than
     * anything held since, so they go first, and the bound applies as to any held batch.
     */
    void returnUnwritten(List<CoverageBatch> batches) {
        for (int i = batches.size() - 1; i >= 0; i--) {
            unsent.addFirst(batches.get(i));
            unsentWords += batches.get(i).words().length;
        }
        dropBeyondLimit();
    }

    /** Forgets unsent batches (a reset). */
    void discardUnsent() {
        unsent.clear();
        unsentWords = 0;
    }

    int unsentCount() {
        return unsent.size();
    }

    long droppedBatches() {
        return droppedBatches;
    }
}
