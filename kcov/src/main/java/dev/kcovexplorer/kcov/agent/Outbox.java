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

    /** Batches to send a new controller: after {@code resumeAfter} if it resumes, else the unsent ones. */
    List<CoverageBatch> forController(long resumeAfter) {
        List<CoverageBatch> batches = new ArrayList<>();
        if (resumeAfter > 0) {
            for (CoverageBatch batch : sent) {
                if (batch.sequence() > resumeAfter) {
                    batches.add(batch);
                }
            }
        }
        batches.addAll(unsent);
        return batches;
    }

    /** Everything {@link #forController} returned reached the controller: unsent batches become sent. */
    void unsentDelivered() {
        while (!unsent.isEmpty()) {
            CoverageBatch batch = unsent.removeFirst();
            unsentWords -= batch.words().length;
            sent(batch);
        }
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
